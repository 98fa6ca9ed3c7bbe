using Amazon.Runtime;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace SpotOptimizer.Cloud.Aws;

/// <summary>
/// The account's EventBridge queue through AWSSDK.SQS, signed with the assumed role's credentials. The SDK's own
/// retries are off: our pipeline retries, as for every call. A client per call: the credentials are the session's,
/// and a poll every twenty seconds makes its cost negligible.
/// </summary>
internal sealed class AwsInstanceEvents(AwsCloudOptions options, AwsRetry retry) : IInstanceEvents
{
    public async Task<InstanceEventBatch> ReceiveAsync(CloudSession session, string region, string queueUrl, TimeSpan wait,
        CancellationToken cancellationToken = default)
    {
        var seconds = (int)Math.Clamp(wait.TotalSeconds, 0, InstanceEventQueue.MaxWait.TotalSeconds);
        var response = await retry.ExecuteAsync(CloudActions.ReceiveMessage, session, async token =>
        {
            using var client = Client(session, region, TimeSpan.FromSeconds(seconds));
            return await Call(CloudActions.ReceiveMessage, queueUrl, () => client.ReceiveMessageAsync(new ReceiveMessageRequest
            {
                QueueUrl = queueUrl,
                MaxNumberOfMessages = InstanceEventQueue.MaxMessages,
                WaitTimeSeconds = seconds,
            }, token), token);
        }, cancellationToken);

        return EventBridgeEvents.ParseBatch((response.Messages ?? []).Select(m => (m.MessageId, m.ReceiptHandle, m.Body ?? "")));
    }

    public async Task AcknowledgeAsync(CloudSession session, string region, string queueUrl, IReadOnlyList<string> receiptHandles,
        CancellationToken cancellationToken = default)
    {
        foreach (var chunk in receiptHandles.Chunk(InstanceEventQueue.MaxMessages))
        {
            await retry.ExecuteAsync(CloudActions.DeleteMessage, session, async token =>
            {
                using var client = Client(session, region, TimeSpan.Zero);
                return await Call(CloudActions.DeleteMessage, queueUrl, () => client.DeleteMessageBatchAsync(new DeleteMessageBatchRequest
                {
                    QueueUrl = queueUrl,
                    Entries = [.. chunk.Select((handle, i) => new DeleteMessageBatchRequestEntry(i.ToString(System.Globalization.CultureInfo.InvariantCulture), handle))],
                }, token), token);
            }, cancellationToken);
            // A receipt handle that expired (the message came back to another receive) fails alone in the answer; that
            // delivery is received again and deduped by its event id, so a failed entry is not an error of the batch.
        }
    }

    private AmazonSQSClient Client(CloudSession session, string region, TimeSpan wait)
    {
        var credentials = new SessionAWSCredentials(session.Credentials.AccessKeyId, session.Credentials.SecretAccessKey, session.Credentials.SessionToken);
        return new AmazonSQSClient(credentials, new AmazonSQSConfig
        {
            ServiceURL = AwsEndpoints.Resolve(options.Endpoints.Sqs, region).ToString(),
            AuthenticationRegion = region,
            MaxErrorRetry = 0,
            // Long polling holds the request open for the wait: the timeout is on top of it.
            Timeout = options.RequestTimeout + wait,
        });
    }

    private static async Task<T> Call<T>(string operation, string queueUrl, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call();
        }
        catch (QueueDoesNotExistException e)
        {
            throw new CloudException(CloudErrorCodes.NotFound, $"{operation}: the events queue {queueUrl} does not exist (is the stack deployed in this region?).", retryable: false, e)
            {
                ProviderCode = e.ErrorCode,
                Operation = operation,
            };
        }
        catch (AmazonServiceException e) when (e.ErrorCode is not null)
        {
            throw AwsErrors.ToCloudException(new AwsError(e.ErrorCode, e.Message), e.StatusCode, operation);
        }
        catch (AmazonServiceException e)
        {
            // An answer the SDK refused (e.g. a body whose MD5 does not match): SQS will deliver the message again.
            throw new CloudException(CloudErrorCodes.CloudError, $"{operation}: {e.Message}", retryable: false, e) { Operation = operation };
        }
        catch (AmazonClientException e)
        {
            throw new CloudException(CloudErrorCodes.Unavailable, $"{operation} failed before SQS answered: {e.Message}", retryable: true, e) { Operation = operation };
        }
        catch (HttpRequestException e)
        {
            throw new CloudException(CloudErrorCodes.Unavailable, $"SQS could not be reached: {e.Message}", retryable: true, e) { Operation = operation };
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CloudException(CloudErrorCodes.Timeout, $"SQS did not answer {operation} in time.", retryable: true, e) { Operation = operation };
        }
    }
}

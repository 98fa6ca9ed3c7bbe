using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace SpotOptimizer.Cloud.Aws;

/// <summary>
/// The one retry policy of every AWS call (EC2 through the SDK, STS, EKS, Auto Scaling): only
/// <see cref="CloudException.Retryable"/> failures (throttling, 5xx, transport failures, per-attempt timeouts), jittered
/// exponential backoff. The SDK clients' own retries are off so that a call is never retried twice over. Every call is
/// counted once with its outcome and every retry with its error code (<see cref="AwsMetrics"/>).
/// </summary>
internal sealed partial class AwsRetry
{
    private readonly ResiliencePipeline _pipeline;
    private readonly AwsMetrics _metrics;
    private readonly TimeProvider _time;

    public AwsRetry(AwsCloudOptions options, TimeProvider time, ILogger logger, AwsMetrics metrics)
    {
        _metrics = metrics;
        _time = time;
        var builder = new ResiliencePipelineBuilder { TimeProvider = time };
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<CloudException>(e => e.Retryable),
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.MaxRetryDelay,
                OnRetry = args =>
                {
                    if (args.Outcome.Exception is CloudException e)
                    {
                        metrics.Retried(e.Operation ?? "unknown", e.ProviderCode ?? e.Code);
                        LogRetry(logger, e.Operation, e.Code, e.ProviderCode, args.AttemptNumber + 1, args.RetryDelay);
                    }

                    return default;
                },
            });
        }

        _pipeline = builder.Build();
    }

    /// <summary>
    /// One logical call of <paramref name="operation"/>: refused without calling when the session has expired, else
    /// attempted (and retried) and counted once.
    /// </summary>
    /// <param name="outcomeOf">The outcome of a result that reports an error instead of throwing it (a permission probe's answer); success when null.</param>
    public async Task<T> ExecuteAsync<T>(string operation, CloudSession? session, Func<CancellationToken, ValueTask<T>> attempt, CancellationToken cancellationToken,
        Func<T, string?>? outcomeOf = null)
    {
        if (session is not null && session.Expiration <= _time.GetUtcNow())
            throw new CloudException(CloudErrorCodes.SessionExpired, $"The session for {session.Role} expired at {session.Expiration:O}.") { Operation = operation };
        try
        {
            var result = await _pipeline.ExecuteAsync(static (state, token) => state(token), attempt, cancellationToken);
            _metrics.Called(operation, outcomeOf?.Invoke(result) ?? AwsMetrics.Success);
            return result;
        }
        catch (CloudException e)
        {
            _metrics.Called(operation, e.ProviderCode == Ec2Api.DryRunSucceeded ? AwsMetrics.DryRun : e.Code);
            throw;
        }
        catch (OperationCanceledException)
        {
            _metrics.Called(operation, "cancelled");
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retrying {Operation} after {Code} ({ProviderCode}), attempt {Attempt}, in {Delay}")]
    private static partial void LogRetry(ILogger logger, string? operation, string code, string? providerCode, int attempt, TimeSpan delay);
}

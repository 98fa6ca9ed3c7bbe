namespace SpotOptimizer.Cloud;

/// <summary>
/// EC2's instance events as EventBridge delivers them to the SQS queue the customer's CloudFormation stack creates
/// (rule on <c>aws.ec2</c>: Spot interruption warnings, rebalance recommendations, state changes). SQS delivers at least
/// once: a message can come twice, so consumers dedupe by <see cref="InstanceEvent.EventId"/>, and delete what they handled
/// with <see cref="AcknowledgeAsync"/> (unacknowledged messages come back after the queue's visibility timeout).
/// </summary>
public interface IInstanceEvents
{
    /// <summary>
    /// SQS ReceiveMessage: up to <see cref="InstanceEventQueue.MaxMessages"/> messages, waiting up to <paramref name="wait"/>
    /// (long polling, at most <see cref="InstanceEventQueue.MaxWait"/>) when none is there. Messages that are not EC2 instance
    /// events come back in <see cref="InstanceEventBatch.Malformed"/>, never as an exception.
    /// </summary>
    Task<InstanceEventBatch> ReceiveAsync(CloudSession session, string region, string queueUrl, TimeSpan wait, CancellationToken cancellationToken = default);

    /// <summary>SQS DeleteMessageBatch (in batches of ten): the messages are handled and must not come back.</summary>
    Task AcknowledgeAsync(CloudSession session, string region, string queueUrl, IReadOnlyList<string> receiptHandles, CancellationToken cancellationToken = default);
}

public enum InstanceEventKind
{
    /// <summary><c>EC2 Spot Instance Interruption Warning</c>: AWS reclaims the instance in two minutes.</summary>
    InterruptionWarning,

    /// <summary><c>EC2 Instance Rebalance Recommendation</c>: the instance is at elevated risk of interruption.</summary>
    RebalanceRecommendation,

    /// <summary><c>EC2 Instance State-change Notification</c>: pending, running, stopping, stopped, shutting-down, terminated.</summary>
    StateChange,
}

/// <summary>One EC2 instance event. EventBridge names neither the instance type nor its zone: the consumer looks them up.</summary>
/// <param name="EventId">EventBridge's event id, the same in every delivery of the event.</param>
/// <param name="Time">When EC2 emitted the event.</param>
/// <param name="ReceiptHandle">What acknowledges this delivery of the message.</param>
/// <param name="InstanceAction">For an interruption warning: terminate, stop or hibernate.</param>
/// <param name="State">For a state change: the instance's new state (EC2's words, e.g. <c>shutting-down</c>).</param>
public sealed record InstanceEvent(
    string EventId,
    InstanceEventKind Kind,
    string InstanceId,
    string Region,
    DateTimeOffset Time,
    string ReceiptHandle,
    string? InstanceAction = null,
    string? State = null);

/// <summary>A message on the queue that is not an EC2 instance event we understand; acknowledged and counted, never fatal.</summary>
public sealed record MalformedEvent(string MessageId, string ReceiptHandle, string Reason);

public sealed record InstanceEventBatch(IReadOnlyList<InstanceEvent> Events, IReadOnlyList<MalformedEvent> Malformed)
{
    public static readonly InstanceEventBatch Empty = new([], []);

    public IReadOnlyList<string> ReceiptHandles => [.. Events.Select(e => e.ReceiptHandle), .. Malformed.Select(m => m.ReceiptHandle)];
}

/// <summary>
/// The events queue the customer's stack creates. Its name is fixed by the template, so the platform derives the
/// queue's URL from the account and the region rather than storing a stack output: one stack (one queue) per region,
/// multi-region through StackSets.
/// </summary>
public static class InstanceEventQueue
{
    /// <summary>The <c>QueueName</c> of <c>deploy/cloudformation/spotoptimizer-role.yaml</c>.</summary>
    public const string QueueName = "SpotOptimizerEvents";

    public const int MaxMessages = 10;

    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(20);

    public static string UrlFor(string region, string accountId) => $"https://sqs.{region}.amazonaws.com/{accountId}/{QueueName}";

    /// <summary>The account and queue name of an SQS queue URL (<c>https://sqs.{region}.amazonaws.com/{account}/{name}</c>).</summary>
    public static bool TryParseUrl(string queueUrl, out string accountId, out string queueName)
    {
        accountId = queueName = "";
        if (!Uri.TryCreate(queueUrl, UriKind.Absolute, out var uri)) return false;
        var segments = uri.AbsolutePath.Trim('/').Split('/');
        if (segments.Length != 2 || segments[0].Length != 12 || !segments[0].All(char.IsAsciiDigit) || segments[1].Length == 0) return false;
        (accountId, queueName) = (segments[0], segments[1]);
        return true;
    }
}

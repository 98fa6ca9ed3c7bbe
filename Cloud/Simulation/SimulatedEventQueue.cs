namespace SpotOptimizer.Cloud.Simulation;

/// <summary>
/// The SQS queue the customer's stack creates in its region, fed by the stack's EventBridge rule with EC2 instance
/// events. Messages stay until deleted; a received one is invisible for <see cref="VisibilityTimeout"/>, then comes
/// back with a new receipt handle (SQS's at-least-once delivery).
/// </summary>
public sealed record SimulatedEventQueue(string Region, string Name, IReadOnlyList<SimulatedQueueMessage> Messages)
{
    /// <summary>SQS's default visibility timeout.</summary>
    public static readonly TimeSpan VisibilityTimeout = TimeSpan.FromSeconds(30);

    public SimulatedEventQueue Enqueue(SimulatedQueueMessage message) => this with { Messages = [.. Messages, message] };
}

/// <param name="VisibleAt">When the message can be received (later than sent for a delayed event, or while a receiver holds it).</param>
/// <param name="ReceiveCount">How many times it was received; each receive hands out a new receipt handle.</param>
public sealed record SimulatedQueueMessage(string MessageId, string Body, DateTimeOffset VisibleAt, int ReceiveCount = 0)
{
    public string ReceiptHandle => $"{MessageId}#{ReceiveCount}";
}

/// <summary>One delivery of a message, as SQS ReceiveMessage answers it.</summary>
public sealed record SimulatedQueueDelivery(string MessageId, string ReceiptHandle, string Body);

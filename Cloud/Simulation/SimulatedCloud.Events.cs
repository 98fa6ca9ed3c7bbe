namespace SpotOptimizer.Cloud.Simulation;

/// <summary>
/// The customer stack's EventBridge rule and SQS queue: EC2 instance events the simulator emits (interruption warnings,
/// rebalance recommendations, state changes of reclaimed and terminated instances) land in the account's queue of the
/// region, as EventBridge JSON, when the stack is deployed there; the platform reads and deletes them like SQS.
/// Long polling is not simulated: a receive answers at once.
/// </summary>
public sealed partial class SimulatedCloud
{
    /// <summary>SQS ReceiveMessage with the session's role.</summary>
    public Task<IReadOnlyList<SimulatedQueueDelivery>> ReceiveQueueMessagesAsync(CloudSession session, string region, string queueUrl, int maxMessages,
        CancellationToken cancellationToken = default) =>
        RunAs(session, CloudActions.ReceiveMessage, region, $"queue={queueUrl} max={maxMessages}", cancellationToken,
            scope => ReceiveAsync(scope, queueUrl, maxMessages, cancellationToken));

    /// <summary>SQS DeleteMessageBatch with the session's role; answers the receipt handles that deleted a message.</summary>
    public Task<IReadOnlyList<string>> DeleteQueueMessagesAsync(CloudSession session, string region, string queueUrl, IReadOnlyList<string> receiptHandles,
        CancellationToken cancellationToken = default) =>
        RunAs(session, CloudActions.DeleteMessage, region, $"queue={queueUrl} count={receiptHandles.Count}", cancellationToken,
            scope => DeleteAsync(scope, queueUrl, receiptHandles, cancellationToken));

    /// <summary>
    /// Puts a message on the account's events queue as any other publisher could (a hand-edited rule, a test): the
    /// platform must survive what it does not understand. False when no stack deployed a queue in the region.
    /// </summary>
    public bool SendQueueMessage(string accountId, string region, string body) =>
        Mutate((world, random) =>
        {
            var account = world.FindAccount(accountId);
            if (account?.FindEventQueue(region) is not { } queue) return (world, false);
            var message = new SimulatedQueueMessage(SimulatedIds.Guid(random), body, _time.GetUtcNow());
            return (world.WithAccount(account.WithEventQueue(queue.Enqueue(message))), true);
        });

    /// <summary>Appends an EventBridge event to the account's queue in <paramref name="region"/>; nothing when no stack deployed one there.</summary>
    private static SimulatedWorld EmitEvent(SimulatedWorld world, Random random, string accountId, string region, InstanceEventKind kind, string instanceId,
        DateTimeOffset time, string? instanceAction = null, string? state = null)
    {
        var account = world.FindAccount(accountId);
        if (account?.FindEventQueue(region) is not { } queue) return world;
        var body = EventBridgeEvents.Write(SimulatedIds.Guid(random), kind, accountId, region, instanceId, time, instanceAction, state);
        // EventBridge delivers an event once it happened: a state change announced for later becomes visible then.
        return world.WithAccount(account.WithEventQueue(queue.Enqueue(new SimulatedQueueMessage(SimulatedIds.Guid(random), body, time))));
    }

    private SimulatedEventQueue FindQueue(Scope scope, string queueUrl, string operation)
    {
        if (!InstanceEventQueue.TryParseUrl(queueUrl, out var accountId, out var name))
            throw new CloudException(CloudErrorCodes.InvalidRequest, $"'{queueUrl}' is not an SQS queue URL.") { ProviderCode = "InvalidAddress" };
        // Another account's queue without a queue policy for us: SQS denies it like a missing permission.
        if (accountId != scope.Account.AccountId) throw CloudException.MissingPermission(operation);
        return scope.Account.FindEventQueue(scope.Region.Name, name)
            ?? throw new CloudException(CloudErrorCodes.NotFound, $"The specified queue {queueUrl} does not exist.") { ProviderCode = "AWS.SimpleQueueService.NonExistentQueue" };
    }

    private Task<IReadOnlyList<SimulatedQueueDelivery>> ReceiveAsync(Scope scope, string queueUrl, int maxMessages, CancellationToken cancellationToken)
    {
        if (maxMessages is < 1 or > InstanceEventQueue.MaxMessages)
            throw new CloudException(CloudErrorCodes.InvalidRequest, $"MaxNumberOfMessages must be 1–{InstanceEventQueue.MaxMessages}.");
        var name = FindQueue(scope, queueUrl, CloudActions.ReceiveMessage).Name;
        return MutateAsync<IReadOnlyList<SimulatedQueueDelivery>>((world, _) =>
        {
            var account = world.FindAccount(scope.Account.AccountId);
            if (account?.FindEventQueue(scope.Region.Name, name) is not { } queue) return (world, []);
            var taken = queue.Messages.Where(m => m.VisibleAt <= scope.Now).Take(maxMessages)
                .Select(m => m with { VisibleAt = scope.Now + SimulatedEventQueue.VisibilityTimeout, ReceiveCount = m.ReceiveCount + 1 })
                .ToDictionary(m => m.MessageId, StringComparer.Ordinal);
            if (taken.Count == 0) return (world, []);
            var updated = queue with { Messages = [.. queue.Messages.Select(m => taken.GetValueOrDefault(m.MessageId, m))] };
            return (world.WithAccount(account.WithEventQueue(updated)),
                [.. updated.Messages.Where(m => taken.ContainsKey(m.MessageId)).Select(m => new SimulatedQueueDelivery(m.MessageId, m.ReceiptHandle, m.Body))]);
        }, cancellationToken);
    }

    private Task<IReadOnlyList<string>> DeleteAsync(Scope scope, string queueUrl, IReadOnlyList<string> receiptHandles, CancellationToken cancellationToken)
    {
        var name = FindQueue(scope, queueUrl, CloudActions.DeleteMessage).Name;
        var handles = receiptHandles.ToHashSet(StringComparer.Ordinal);
        return MutateAsync<IReadOnlyList<string>>((world, _) =>
        {
            var account = world.FindAccount(scope.Account.AccountId);
            if (account?.FindEventQueue(scope.Region.Name, name) is not { } queue) return (world, []);
            // Only the latest delivery's handle deletes: a message received again since has a new one (as SQS may answer).
            var deleted = queue.Messages.Where(m => handles.Contains(m.ReceiptHandle)).Select(m => m.ReceiptHandle).ToList();
            if (deleted.Count == 0) return (world, deleted);
            var updated = queue with { Messages = [.. queue.Messages.Where(m => !handles.Contains(m.ReceiptHandle))] };
            return (world.WithAccount(account.WithEventQueue(updated)), deleted);
        }, cancellationToken);
    }

    private sealed class EventsView(SimulatedCloud cloud) : IInstanceEvents
    {
        public async Task<InstanceEventBatch> ReceiveAsync(CloudSession session, string region, string queueUrl, TimeSpan wait,
            CancellationToken cancellationToken = default)
        {
            var deliveries = await cloud.ReceiveQueueMessagesAsync(session, region, queueUrl, InstanceEventQueue.MaxMessages, cancellationToken);
            return EventBridgeEvents.ParseBatch(deliveries.Select(d => (d.MessageId, d.ReceiptHandle, d.Body)));
        }

        public Task AcknowledgeAsync(CloudSession session, string region, string queueUrl, IReadOnlyList<string> receiptHandles,
            CancellationToken cancellationToken = default) =>
            cloud.DeleteQueueMessagesAsync(session, region, queueUrl, receiptHandles, cancellationToken);
    }
}

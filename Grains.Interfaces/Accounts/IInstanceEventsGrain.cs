using Orleans;
using Orleans.Concurrency;

namespace SpotOptimizer.Grains.Interfaces.Accounts;

/// <summary>
/// Polls one linked account's EventBridge queue of EC2 instance events in one region, keyed by
/// <see cref="InstanceEventsKeys.For"/>, and feeds the hive mind: an interruption warning is a full report, a rebalance
/// recommendation an early warning (weighted lower by the pool), a Spot instance stopping or shutting down after a
/// warning corroborates it. Every event is handled once however often SQS delivers it, lands in the organization's
/// audit ledger, and is deleted from the queue; a message that is not an instance event is deleted and counted.
/// Started (and restarted after a silo restart) by the account's discovery, stopped by unlinking.
/// </summary>
public interface IInstanceEventsGrain : IGrainWithStringKey
{
    /// <summary>
    /// Polls with <paramref name="subscription"/> from now on; the same subscription again changes nothing. One-way: the
    /// poller may be in the middle of a long poll, and discovery must not wait for it.
    /// </summary>
    [OneWay]
    Task Start(InstanceEventsSubscription subscription);

    /// <summary>Stops polling and forgets the subscription (one-way, as <see cref="Start"/>).</summary>
    [OneWay]
    Task Stop();

    /// <summary>One receive → report → acknowledge pass (the poll timer runs these back to back).</summary>
    Task<InstanceEventsPoll> Poll();

    [ReadOnly]
    Task<InstanceEventsView> Get();
}

public static class InstanceEventsKeys
{
    /// <param name="accountId">Our account id (the account grain's key), not the AWS account.</param>
    public static string For(string accountId, string region) => $"{accountId}/{region}";
}

/// <summary>What to poll with: the organization (for the ledger) and the role to assume.</summary>
/// <param name="ZoneIds">
/// The account's zone names → zone IDs in the poller's region as discovery read them (placing an event in the market's
/// zone names needs them); null when discovery has none, and then they are asked from AWS.
/// </param>
[GenerateSerializer, Immutable]
public sealed record InstanceEventsSubscription(string OrganizationId, CloudAccess Access, IReadOnlyDictionary<string, string>? ZoneIds = null)
{
    /// <summary>The same subscription: the same organization and role, and the same zone IDs (compared by content, not by reference).</summary>
    public bool SameAs(InstanceEventsSubscription? other) =>
        other is not null && OrganizationId == other.OrganizationId && Access == other.Access
        && (ZoneIds is null ? other.ZoneIds is null : other.ZoneIds is not null && ZoneIds.Count == other.ZoneIds.Count
            && ZoneIds.All(z => other.ZoneIds.TryGetValue(z.Key, out var id) && id == z.Value));
}

/// <param name="Received">Messages received in the pass.</param>
/// <param name="Reported">Warnings and recommendations handed to the pools.</param>
/// <param name="Duplicates">Events seen before (SQS delivers at least once).</param>
/// <param name="Corroborated">State changes confirming an earlier warning.</param>
/// <param name="Ignored">Events that change nothing (other state changes, instances no longer known).</param>
/// <param name="Malformed">Messages that are no EC2 instance event.</param>
[GenerateSerializer, Immutable]
public sealed record InstanceEventsPoll(int Received, int Reported, int Duplicates, int Corroborated, int Ignored, int Malformed);

/// <param name="Polling">False before a start, after a stop, or once the queue or the permission was found missing (the next discovery retries).</param>
/// <param name="Totals">Counts since the subscription started.</param>
[GenerateSerializer, Immutable]
public sealed record InstanceEventsView(bool Polling, string? QueueUrl, DateTimeOffset? LastPollAt, string? ErrorCode, InstanceEventsPoll Totals);

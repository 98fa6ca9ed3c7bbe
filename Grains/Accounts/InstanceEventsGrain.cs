using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Runtime;
using SpotOptimizer.Cloud;
using SpotOptimizer.Grains.Interfaces.Accounts;
using SpotOptimizer.Grains.Interfaces.Market;
using SpotOptimizer.Grains.Market;
using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Grains.Accounts;

/// <summary>
/// The poller of one account's events queue in one region. The queue's URL is derived, not stored: the customer's
/// template names the queue (<see cref="InstanceEventQueue.QueueName"/>), so the account and the region find it.
/// Each pass handles the events, writes what it saw, and only then deletes the messages: a crash in between makes SQS
/// deliver them again, and the seen event ids (and the pool's own (kind, instance) dedupe) count them once.
/// </summary>
public sealed partial class InstanceEventsGrain(
    [PersistentState("instance-events")] IPersistentState<InstanceEventsState> state,
    ICloudProvider cloud,
    AuditLedger activity,
    IOptions<AccountDiscoveryOptions> options,
    TimeProvider time,
    ILogger<InstanceEventsGrain> logger) : Grain, IInstanceEventsGrain
{
    private const int SeenKept = 2000;
    private const int WarnedKept = 500;
    private const string Actor = "system:instance-events";

    private static readonly JsonSerializerOptions DetailsJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private IGrainTimer? _timer;
    private CloudSession? _session;

    private InstanceEventsState S => state.State;

    private string Region => this.GetPrimaryKeyString()[(this.GetPrimaryKeyString().LastIndexOf('/') + 1)..];

    private string? QueueUrl => S.Subscription is { } s ? InstanceEventQueue.UrlFor(Region, s.Access.AwsAccountId) : null;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (S.Polling) StartTimer();
        return Task.CompletedTask;
    }

    public async Task Start(InstanceEventsSubscription subscription)
    {
        if (S.Polling && subscription.SameAs(S.Subscription)) return;
        // New zone IDs alone keep the session: only another organization or role needs a new one.
        if (S.Subscription is not { } known || known.OrganizationId != subscription.OrganizationId || known.Access != subscription.Access) _session = null;
        S.Subscription = subscription;
        S.Polling = true;
        S.ErrorCode = null;
        await state.WriteStateAsync();
        StartTimer();
    }

    public async Task Stop()
    {
        _timer?.Dispose();
        _timer = null;
        _session = null;
        await state.ClearStateAsync();
        state.State = new InstanceEventsState();
        DeactivateOnIdle();
    }

    public Task<InstanceEventsView> Get() => Task.FromResult(new InstanceEventsView(S.Polling, QueueUrl, S.LastPollAt, S.ErrorCode,
        new InstanceEventsPoll(S.Received, S.Reported, S.Duplicates, S.Corroborated, S.Ignored, S.Malformed)));

    public async Task<InstanceEventsPoll> Poll()
    {
        if (S.Subscription is not { } subscription || !S.Polling) return new InstanceEventsPoll(0, 0, 0, 0, 0, 0);
        var queueUrl = QueueUrl!;
        try
        {
            var session = await AssumeAsync(subscription.Access);
            var batch = await cloud.Events.ReceiveAsync(session, Region, queueUrl, options.Value.InstanceEventsWait);
            var poll = await HandleAsync(session, subscription.OrganizationId, batch);
            S.LastPollAt = time.GetUtcNow();
            S.ErrorCode = null;
            await state.WriteStateAsync();
            if (batch.ReceiptHandles.Count > 0) await AcknowledgeAsync(session, subscription.OrganizationId, queueUrl, batch.ReceiptHandles);
            return poll;
        }
        catch (CloudException exception)
        {
            await FailAsync(subscription.OrganizationId, exception);
            return new InstanceEventsPoll(0, 0, 0, 0, 0, 0);
        }
    }

    /// <summary>
    /// Deletes what the pass handled. A failed delete loses nothing: the messages come back after the visibility timeout
    /// and their event ids, already written, count them as duplicates.
    /// </summary>
    private async Task AcknowledgeAsync(CloudSession session, string organizationId, string queueUrl, IReadOnlyList<string> receiptHandles)
    {
        try
        {
            await cloud.Events.AcknowledgeAsync(session, Region, queueUrl, receiptHandles);
        }
        catch (CloudException exception)
        {
            await FailAsync(organizationId, exception);
        }
    }

    private async Task<InstanceEventsPoll> HandleAsync(CloudSession session, string organizationId, InstanceEventBatch batch)
    {
        var (reported, duplicates, corroborated, ignored) = (0, 0, 0, 0);
        Placement? placement = null;
        foreach (var received in batch.Events.OrderBy(e => e.Time))
        {
            if (S.SeenEventIds.Contains(received.EventId))
            {
                duplicates++;
                continue;
            }

            switch (received.Kind)
            {
                case InstanceEventKind.InterruptionWarning or InstanceEventKind.RebalanceRecommendation:
                    placement ??= await PlaceAsync(session);
                    if (await ReportAsync(organizationId, received, placement)) reported++;
                    else ignored++;
                    break;
                case InstanceEventKind.StateChange when received.State is "stopping" or "shutting-down" && S.Warned.Remove(received.InstanceId, out var pool):
                    await activity.RecordAsync(organizationId, Actor, "spot.interruption_corroborated", $"instance:{received.InstanceId}",
                        JsonSerializer.Serialize(new { source = "eventbridge", event_id = received.EventId, state = received.State, pool, time = received.Time }, DetailsJson),
                        CancellationToken.None);
                    corroborated++;
                    break;
                default:
                    ignored++;
                    break;
            }

            S.SeenEventIds.Add(received.EventId);
        }

        foreach (var malformed in batch.Malformed)
        {
            LogMalformed(logger, this.GetPrimaryKeyString(), malformed.MessageId, malformed.Reason);
            await activity.RecordAsync(organizationId, Actor, "instance_event.malformed", $"queue:{QueueUrl}",
                JsonSerializer.Serialize(new { message_id = malformed.MessageId, reason = malformed.Reason }, DetailsJson), CancellationToken.None);
        }

        if (S.SeenEventIds.Count > SeenKept) S.SeenEventIds.RemoveRange(0, S.SeenEventIds.Count - SeenKept);
        var poll = new InstanceEventsPoll(batch.Events.Count + batch.Malformed.Count, reported, duplicates, corroborated, ignored, batch.Malformed.Count);
        S.Received += poll.Received;
        S.Reported += reported;
        S.Duplicates += duplicates;
        S.Corroborated += corroborated;
        S.Ignored += ignored;
        S.Malformed += poll.Malformed;
        return poll;
    }

    /// <summary>
    /// Where the region's instances are, in the hive mind's words: EventBridge names only the instance, so its zone and type
    /// come from EC2 (an interrupted instance stays visible, shutting down, for a while), and the zone is translated to
    /// the market's name of the same physical zone through the account's zone IDs (as discovery and the agent do).
    /// </summary>
    private async Task<Placement> PlaceAsync(CloudSession session)
    {
        var instances = (await cloud.Ec2.DescribeInstancesAsync(session, Region)).ToDictionary(i => i.InstanceId, StringComparer.Ordinal);
        // Discovery read the account's zone IDs and handed them over with the subscription; asked only when it has none
        // (null again for a role from before the template granted it: names are then taken as the market's).
        var zoneIds = S.Subscription?.ZoneIds ?? await cloud.AccountZoneIdsAsync(session, Region);
        return new Placement(instances, await GrainFactory.ZoneTranslationAsync(Region, zoneIds));
    }

    /// <summary>Hands a warning or recommendation to its pool; false when it cannot be placed (EC2 no longer knows the instance, or the market not its zone).</summary>
    private async Task<bool> ReportAsync(string organizationId, InstanceEvent received, Placement placement)
    {
        var kind = received.Kind == InstanceEventKind.InterruptionWarning ? InterruptionKinds.Interruption : InterruptionKinds.RebalanceRecommendation;
        var instance = placement.Instances.GetValueOrDefault(received.InstanceId);
        var zone = instance is null ? null : placement.Zones.ToPlatform(instance.AvailabilityZone);
        if (instance is null || zone is null)
        {
            await activity.RecordAsync(organizationId, Actor, "spot.interruption_unplaced", $"instance:{received.InstanceId}",
                JsonSerializer.Serialize(new { kind, source = "eventbridge", event_id = received.EventId,
                    reason = instance is null ? "instance_not_found" : "zone_not_in_market" }, DetailsJson),
                CancellationToken.None);
            return false;
        }

        var key = SpotPoolKeys.For(Region, zone, instance.InstanceType);
        var view = await GrainFactory.GetGrain<ISpotPoolGrain>(key).ReportInterruption(
            new InterruptionReport(received.InstanceId, kind, received.Time, HiveReporters.For(organizationId), InterruptionSources.AwsEvent));
        if (received.Kind == InstanceEventKind.InterruptionWarning)
        {
            S.Warned[received.InstanceId] = key;
            if (S.Warned.Count > WarnedKept) S.Warned.Remove(S.Warned.Keys.First());
        }

        await activity.RecordAsync(organizationId, Actor, "spot.interruption_observed", $"instance:{received.InstanceId}",
            JsonSerializer.Serialize(new { kind, source = "eventbridge", event_id = received.EventId, pool = key, availability_zone = instance.AvailabilityZone,
                notice_time = received.Time,
                flagged_until = view.FlaggedUntil, flag_reason = view.FlagReason }, DetailsJson), CancellationToken.None);
        return true;
    }

    /// <summary>
    /// A missing queue (no stack in the region), a role without the queue permissions or a role that cannot be assumed
    /// stops polling until the next discovery restarts it; anything else (throttling, timeouts) is retried on the next tick.
    /// </summary>
    private async Task FailAsync(string organizationId, CloudException exception)
    {
        LogPollFailed(logger, exception, this.GetPrimaryKeyString(), exception.Code);
        _session = null;
        var lasting = exception.Code == CloudErrorCodes.NotFound || exception.MissingAction is not null
            || exception.Code is CloudErrorCodes.AssumeRoleDenied or CloudErrorCodes.RoleNotFound or CloudErrorCodes.ExternalIdMismatch;
        var changed = S.ErrorCode != exception.Code;
        S.ErrorCode = exception.Code;
        if (lasting)
        {
            S.Polling = false;
            _timer?.Dispose();
            _timer = null;
        }

        await state.WriteStateAsync();
        if (lasting && changed)
        {
            await activity.RecordAsync(organizationId, Actor, "instance_events.unavailable", $"queue:{QueueUrl}",
                JsonSerializer.Serialize(new { region = Region, code = exception.Code }, DetailsJson), CancellationToken.None);
        }
    }

    private async Task<CloudSession> AssumeAsync(CloudAccess access)
    {
        if (_session is { } current && !current.ExpiresWithin(TimeSpan.FromMinutes(5), time.GetUtcNow())) return current;
        _session = await cloud.AssumeRoleAsync(new RoleRequest(access.RoleArn, access.ExternalId, access.SessionName));
        return _session;
    }

    /// <summary>Back-to-back passes (each long-polls up to the wait); none when the interval is infinite (tests drive <see cref="Poll"/>).</summary>
    private void StartTimer()
    {
        var interval = options.Value.InstanceEventsPollInterval;
        if (_timer is not null || interval == Timeout.InfiniteTimeSpan) return;
        _timer = this.RegisterGrainTimer(async _ => await Poll(), new GrainTimerCreationOptions { DueTime = interval, Period = interval, KeepAlive = true });
    }

    private sealed record Placement(IReadOnlyDictionary<string, Ec2Instance> Instances, ZoneTranslation Zones);

    [LoggerMessage(1, LogLevel.Warning, "Polling instance events {Poller} failed: {Code}")]
    private static partial void LogPollFailed(ILogger logger, Exception exception, string poller, string code);

    [LoggerMessage(2, LogLevel.Information, "Instance events {Poller}: message {MessageId} is no EC2 instance event ({Reason}); deleted")]
    private static partial void LogMalformed(ILogger logger, string poller, string messageId, string reason);
}

using System.Security.Cryptography;
using System.Text;
using SpotOptimizer.Grains.Interfaces.Clusters;
using Orleans;
using SpotOptimizer.Grains.Market;
using Orleans.Runtime;
using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Grains.Clusters;

public sealed partial class ClusterGrain(
    [PersistentState("cluster")] IPersistentState<ClusterState> state,
    [PersistentState("cluster-inventory")] IPersistentState<ClusterInventoryState> inventory,
    [PersistentState("cluster-commands")] IPersistentState<ClusterCommandsState> commands,
    AuditLedger activity,
    TimeProvider time,
    SafeMode safeMode,
    LoopFailures failures,
    Microsoft.Extensions.Options.IOptions<Optimization.OptimizerOptions> optimizer,
    Execution.CloudSessions sessions,
    Execution.CloudExecutor executor,
    Microsoft.Extensions.Options.IOptions<Execution.AgentChannelOptions> channel,
    SpotOptimizer.Cloud.ICloudProvider cloud,
    Microsoft.Extensions.Logging.ILogger<ClusterGrain> logger) : Grain, IClusterGrain, IRemindable
{
    private DateTimeOffset? _lastSeen;
    private string? _agentVersion;
    private int _reportedNodes;
    private bool _agentLost;

    private ClusterDiscovery? Discovery => state.State.Discovery;

    public async Task ApplyDiscovery(ClusterDiscovery discovery)
    {
        if (Discovery is { } known && known.OrganizationId != discovery.OrganizationId)
        {
            throw new InvalidOperationException($"Cluster {this.GetPrimaryKeyString()} belongs to another organization.");
        }

        state.State.Discovery = discovery;
        state.State.Gone = false;
        state.State.DiscoveredAt = time.GetUtcNow();
        await state.WriteStateAsync();
        await EnsureOptimizeReminderAsync();
        await SyncOccupancyAsync();
    }

    public async Task MarkGone(string accountId)
    {
        if (Discovery?.AccountId != accountId || state.State.Gone) return;
        state.State.Gone = true;
        await state.WriteStateAsync();
        await SyncOccupancyAsync();
    }

    public Task<ClusterView?> Get(string organizationId) => Task.FromResult(Owns(organizationId) ? View() : null);

    public async Task<AgentTokenIssued?> Connect(string organizationId, string actor)
    {
        if (!Owns(organizationId) || state.State.Gone) return null;
        var secret = RandomNumberGenerator.GetBytes(32);
        var token = AgentTokens.Format(this.GetPrimaryKeyString(), secret);
        var wasManaged = state.State.Managed;
        state.State.Managed = true;
        state.State.AgentTokenHash = AgentTokens.HashOf(token);
        state.State.ConnectedAt = time.GetUtcNow();
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IOrganizationGrain>(organizationId).AddManagedCluster(this.GetPrimaryKeyString());
        await EnsureOptimizeReminderAsync();
        await SyncOccupancyAsync();
        await activity.RecordAsync(organizationId, actor, wasManaged ? "cluster.agent_token_rotated" : "cluster.connected",
            Resource, null, CancellationToken.None);
        // Commands queued for the replaced agent are not carried over to the new one.
        await CancelCommandsAsync(actor, AgentCommandRefusals.TokenReplaced);
        await SendKarpenterPolicyOnConnectAsync(organizationId, actor);
        return new AgentTokenIssued(this.GetPrimaryKeyString(), token);
    }

    public async Task<bool> RevokeAgentToken(string organizationId, string actor)
    {
        if (!Owns(organizationId) || !state.State.Managed) return false;
        state.State.AgentTokenHash = null;
        await state.WriteStateAsync();
        _lastSeen = null;
        await activity.RecordAsync(organizationId, actor, "cluster.agent_token_revoked", Resource, null, CancellationToken.None);
        // Revocation stops every command to the cluster: nothing pending reaches an agent, and the running job stops
        // before its next step (no job starts again until the cluster is connected anew; see AgentRevoked).
        await CancelCommandsAsync(actor, AgentCommandRefusals.TokenRevoked);
        if (state.State.ActiveJobId is { } job)
            await GrainFactory.GetGrain<Interfaces.Optimization.IOptimizationJobGrain>(job).Cancel(AgentCommandRefusals.TokenRevoked);
        return true;
    }

    public async Task<HeartbeatAck?> Heartbeat(AgentHeartbeat heartbeat)
    {
        if (state.State.AgentTokenHash is not { } expected || !AgentTokens.HashesEqual(expected, heartbeat.TokenHash)) return null;
        var now = time.GetUtcNow();
        var firstContact = _lastSeen is null || _agentLost;
        _lastSeen = now;
        _agentLost = false;
        ProductMetrics.Heartbeats.Add(1);
        _agentVersion = heartbeat.AgentVersion;
        _reportedNodes = heartbeat.NodeCount;
        if (firstContact)
        {
            // Only the transition is recorded: a database write per heartbeat would cap the heartbeat rate.
            await activity.RecordAsync(Discovery!.OrganizationId, "agent", "cluster.agent_reporting", Resource,
                $$"""{"agent_version":"{{Escape(heartbeat.AgentVersion)}}"}""", CancellationToken.None);
        }

        return new HeartbeatAck(this.GetPrimaryKeyString(), state.State.PolicyVersion, now);
    }

    /// <summary>
    /// An agent's report is a claim: taken only within the tenant's allowance in the region, only for a Spot node this
    /// cluster runs, and put in the node's real pool (from inventory, never the agent's word). The pool weighs it; the
    /// answer says whether it flagged the pool for everyone or for this tenant only.
    /// </summary>
    public async Task<AgentInterruptionResult?> ReportInterruption(AgentInterruption report)
    {
        if (state.State.AgentTokenHash is not { } expected || !AgentTokens.HashesEqual(expected, report.TokenHash)) return null;
        var organizationId = Discovery!.OrganizationId;
        // The allowance first: a flood of reports, known instances or not, costs one audit entry per window, not one per report.
        var allowance = await GrainFactory.GetGrain<Interfaces.Market.IReportQuotaGrain>(Interfaces.Market.ReportQuotaKeys.For(organizationId, Discovery.Region)).Take();
        if (!allowance.Allowed)
        {
            if (allowance.FirstRefusal)
            {
                await activity.RecordAsync(organizationId, "agent", "spot.interruption_refused", $"instance:{report.InstanceId}",
                    System.Text.Json.JsonSerializer.Serialize(new { reason = "rate_limited", kind = report.Kind, region = Discovery.Region,
                        retry_after_seconds = (long)Math.Ceiling(allowance.RetryAfter.TotalSeconds) }, PolicyJson), CancellationToken.None);
            }

            return new AgentInterruptionResult(null, null, "rate_limited") { RetryAfter = allowance.RetryAfter };
        }

        if (FindSpotNode(report.InstanceId) is not { } node)
        {
            ProductMetrics.HiveReportsRefused.Add(1, new KeyValuePair<string, object?>("reason", "unknown_instance"));
            await activity.RecordAsync(organizationId, "agent", "spot.interruption_refused", $"instance:{report.InstanceId}",
                System.Text.Json.JsonSerializer.Serialize(new { reason = "unknown_instance", kind = report.Kind, notice_time = report.NoticeTime }, PolicyJson),
                CancellationToken.None);
            return new AgentInterruptionResult(null, null, "unknown_instance");
        }

        // The hive mind keeps pools in the market's zone names; this account names the same physical zone its own way.
        var zones = await GrainFactory.ZoneTranslationAsync(Discovery.Region, Discovery.ZoneIds);
        if (zones.ToPlatform(node.AvailabilityZone) is not { } zone) return new AgentInterruptionResult(null, null, "zone_not_in_market");
        var key = Interfaces.Market.SpotPoolKeys.For(Discovery.Region, zone, node.InstanceType);
        var pool = await GrainFactory.GetGrain<Interfaces.Market.ISpotPoolGrain>(key)
            .ReportInterruption(new Interfaces.Market.InterruptionReport(report.InstanceId, report.Kind, report.NoticeTime,
                Interfaces.Market.HiveReporters.For(organizationId), Interfaces.Market.InterruptionSources.Agent));
        var (scope, until, reason) = pool.OwnFlaggedUntil is { } own
            ? (FlagScopes.Reporter, own, Interfaces.Market.FlagReasons.OwnReport)
            : (FlagScopes.Everyone, pool.FlaggedUntil, pool.FlagReason);
        await activity.RecordAsync(organizationId, "agent", "spot.interruption_reported", $"instance:{report.InstanceId}",
            System.Text.Json.JsonSerializer.Serialize(new { kind = report.Kind, pool = key, notice_time = report.NoticeTime, flagged_until = until,
                flagged_for = until is null ? null : scope, flag_reason = until is null ? null : reason }, PolicyJson),
            CancellationToken.None);
        return new AgentInterruptionResult(key, until, null) { FlaggedFor = until is null ? null : scope, FlagReason = until is null ? null : reason };
    }

    public Task<IReadOnlyList<NodeSummary>?> GetNodes(string organizationId) =>
        Task.FromResult(Owns(organizationId) && !state.State.Gone ? CurrentNodes() : null);

    public Task<IReadOnlyDictionary<string, string>?> GetZoneIds(string organizationId) =>
        Task.FromResult(Owns(organizationId) ? Discovery?.ZoneIds : null);

    /// <summary>
    /// Runs on the optimize reminder every managed cluster already has (no timer of its own): an agent silent for longer
    /// than <see cref="AgentStatus.FreshFor"/> is recorded lost once; its next heartbeat records it reporting again.
    /// A sleeping cluster's agent is expected to be quiet. Liveness is in memory, so after a restart the first heartbeat counts as contact.
    /// </summary>
    private async Task CheckAgentAsync(DateTimeOffset at)
    {
        if (_lastSeen is not { } seen || _agentLost || !state.State.Managed || state.State.AgentTokenHash is null || state.State.Gone
            || state.State.Power == ClusterPower.Asleep || at - seen <= AgentStatus.FreshFor) return;
        _agentLost = true;
        await activity.RecordAsync(Discovery!.OrganizationId, "system:agent-watch", "cluster.agent_lost", Resource,
            System.Text.Json.JsonSerializer.Serialize(new { last_seen = seen, silent_seconds = (long)(at - seen).TotalSeconds }, PolicyJson), CancellationToken.None);
    }

    private string Resource => $"cluster:{this.GetPrimaryKeyString()}";

    private bool Owns(string organizationId) => Discovery?.OrganizationId == organizationId;

    private ClusterView View()
    {
        var discovery = Discovery!;
        var fresh = _lastSeen is { } seen && time.GetUtcNow() - seen < AgentStatus.FreshFor;
        return new ClusterView(
            this.GetPrimaryKeyString(), discovery.OrganizationId, discovery.AccountId, discovery.Name, discovery.Region, discovery.Version,
            state.State.Gone ? "gone" : discovery.Status, state.State.Managed,
            Inventory?.Nodes.Count ?? (_lastSeen is null ? discovery.Nodes.Count : _reportedNodes),
            Inventory?.Nodes.Count(n => n.CapacityType == "spot") ?? discovery.Nodes.Count(n => n.Lifecycle == "spot"),
            fresh ? AgentStatus.Green : AgentStatus.Red, _lastSeen, _agentVersion, state.State.PolicyVersion, Commands.SafeMode, _commandsPolledAt);
    }

    private static string Escape(string value) => System.Text.Json.JsonEncodedText.Encode(value).ToString();
}

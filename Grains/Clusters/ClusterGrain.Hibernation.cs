using System.Text.Json;
using Microsoft.Extensions.Logging;
using SpotOptimizer.Cloud;
using SpotOptimizer.Governance;
using SpotOptimizer.Grains.Execution;
using SpotOptimizer.Grains.Interfaces.Accounts;
using SpotOptimizer.Grains.Interfaces.Clusters;
using Orleans;
using Orleans.Runtime;
using ClusterPower = SpotOptimizer.Grains.Interfaces.Clusters.ClusterPower;
using SchedulePower = SpotOptimizer.Governance.ClusterPower;

namespace SpotOptimizer.Grains.Clusters;

/// <summary>
/// The hibernation loop: a durable reminder ticks every minute, the pure weekly schedule decides, and a change
/// scales the cluster's node groups to zero (remembering their sizes) or back. Each transition is recorded at the
/// tick that decided it.
/// </summary>
public sealed partial class ClusterGrain
{
    public const string HibernationReminder = "hibernate";
    private const int TransitionsKept = 50;

    public Task<HibernationView?> GetHibernation(string organizationId) => Task.FromResult(Owns(organizationId) ? HibernationView() : null);

    public async Task<HibernationView?> ConfigureHibernation(string organizationId, string actor, HibernationPatch patch)
    {
        if (!Owns(organizationId)) return null;
        var before = JsonSerializer.Serialize(Settings(), PolicyJson);
        var now = time.GetUtcNow();
        if (patch.ScheduleMatrix is { } matrix) state.State.ScheduleMatrix = [.. matrix];
        if (patch.TimeZone is { } zone) state.State.TimeZone = zone;
        if (patch.Prewarm is { } prewarm) state.State.Prewarm = prewarm;
        if (patch.OverrideMinutes is { } minutes) state.State.OverrideUntil = now.AddMinutes(minutes);
        await state.WriteStateAsync();
        await activity.RecordAsync(organizationId, actor, patch.OverrideMinutes is null ? "hibernation.updated" : "hibernation.override",
            Resource, JsonSerializer.Serialize(Settings(), PolicyJson), CancellationToken.None, before: before);
        if (await this.GetReminder(HibernationReminder) is null)
        {
            await this.RegisterOrUpdateReminder(HibernationReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        }

        // A manual wake-up must not wait for the next tick.
        if (patch.OverrideMinutes is not null) await EvaluateHibernationAsync(now);
        return HibernationView();
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => reminderName switch
    {
        HibernationReminder => EvaluateHibernationAsync(status.CurrentTickTime),
        OptimizeReminder => OnOptimizeTickAsync(status.CurrentTickTime),
        _ => Task.CompletedTask,
    };

    private async Task EvaluateHibernationAsync(DateTimeOffset at)
    {
        if (state.State.ScheduleMatrix is not { } matrix || Discovery is not { } discovery || state.State.Gone) return;
        var zone = TimeZoneInfo.FindSystemTimeZoneById(state.State.TimeZone);
        var decision = WeeklySchedule.Evaluate(new HibernationPlan(matrix, state.State.TimeZone, state.State.Prewarm), zone, at, state.State.OverrideUntil);
        var desired = decision.Desired == SchedulePower.Awake ? ClusterPower.Awake : ClusterPower.Asleep;
        if (desired == state.State.Power) return;
        // A revoked agent token stops disruption: the cluster is not put to sleep (waking it gives nodes back, so it may).
        if (desired == ClusterPower.Asleep && AgentRevoked) return;
        await SetPowerAsync(discovery, desired, decision.Reason, at);
    }

    /// <summary>Resizes the node groups and stops or relaunches our own nodes; false (and the power state unchanged, so a later tick retries) when the cloud refused.</summary>
    private async Task<bool> SetPowerAsync(ClusterDiscovery discovery, string desired, string reason, DateTimeOffset at)
    {
        var targets = desired == ClusterPower.Asleep
            ? [.. discovery.Nodegroups.Select(g => new NodegroupSize(g.Name, 0, Math.Max(1, g.MaxSize), 0))]
            : state.State.SavedSizes.Count > 0 ? state.State.SavedSizes
            : [.. discovery.Nodegroups.Select(g => new NodegroupSize(g.Name, g.MinSize, g.MaxSize, g.DesiredSize))];
        var dryRun = safeMode.IsOn || state.State.Policy.DryRun;
        IReadOnlyList<NodegroupSize> previous;
        IReadOnlyList<SleepingNode> sleeping;
        try
        {
            var scope = await ExecutionScopeAsync(discovery, dryRun);
            var groups = ClusterNodegroups.From(discovery.Nodes, discovery.Nodegroups);
            previous = await ResizeNodegroupsAsync(scope, targets, desired, at);
            sleeping = desired == ClusterPower.Asleep ? await StopOwnNodesAsync(scope, at, groups) : await RelaunchOwnNodesAsync(scope, groups);
        }
        catch (CloudException exception)
        {
            failures.Record(LoopFailures.Hibernation);
            LogHibernationFailed(logger, exception, this.GetPrimaryKeyString(), exception.Code);
            await activity.RecordAsync(discovery.OrganizationId, "system:hibernation", "cluster.hibernation_failed", Resource,
                $$"""{"code":"{{exception.Code}}"}""", CancellationToken.None);
            return false;
        }

        if (desired == ClusterPower.Asleep && !dryRun) state.State.SavedSizes = [.. previous];
        if (!dryRun) state.State.SleepingNodes = [.. sleeping];
        state.State.Power = desired;
        state.State.Transitions.Add(new PowerTransition(at, desired, reason, dryRun, targets));
        if (state.State.Transitions.Count > TransitionsKept) state.State.Transitions.RemoveAt(0);
        await state.WriteStateAsync();
        await activity.RecordAsync(discovery.OrganizationId, "system:hibernation", desired == ClusterPower.Asleep ? "cluster.hibernated" : "cluster.woken",
            Resource, JsonSerializer.Serialize(new { at, reason, dry_run = dryRun, nodegroups = targets }, PolicyJson), CancellationToken.None);
        return true;
    }

    private async Task<ExecutionScope> ExecutionScopeAsync(ClusterDiscovery discovery, bool dryRun)
    {
        var access = await GrainFactory.GetGrain<IAccountGrain>(discovery.AccountId).GetCloudAccess(discovery.OrganizationId)
            ?? throw new CloudException(CloudErrorCodes.SessionInvalid, "The cluster's AWS account is no longer linked.");
        var session = await sessions.GetAsync(new RoleRequest(access.RoleArn, access.ExternalId, access.SessionName), CancellationToken.None);
        return new ExecutionScope(discovery.OrganizationId, "system:hibernation", this.GetPrimaryKeyString(), discovery.Region, discovery.Name, session, dryRun,
            state.State.Policy.ExcludedNamespaces);
    }

    /// <summary>
    /// Reads each node group's sizes, then sets the targets through the executor (one idempotency key per tick, direction
    /// and node group, so a retried tick never resizes twice, and a wake in the same instant as a sleep is not taken for
    /// its replay). A refused step fails the whole transition.
    /// </summary>
    private async Task<IReadOnlyList<NodegroupSize>> ResizeNodegroupsAsync(ExecutionScope scope, IReadOnlyList<NodegroupSize> targets, string power, DateTimeOffset at)
    {
        var (session, discovery) = (scope.Session, Discovery!);
        var previous = new List<NodegroupSize>();
        foreach (var target in targets)
        {
            var current = await cloud.Eks.DescribeNodegroupAsync(session, discovery.Region, discovery.Name, target.Name);
            previous.Add(new(target.Name, current.Scaling.MinSize, current.Scaling.MaxSize, current.Scaling.DesiredSize));
            var action = await executor.ResizeNodegroupAsync(scope, $"hibernate/{this.GetPrimaryKeyString()}/{at.UtcTicks}/{power}/{target.Name}", target.Name,
                new NodegroupScaling(target.MinSize, target.MaxSize, target.DesiredSize), CancellationToken.None);
            if (!action.Succeeded) throw new CloudException(action.ErrorCode ?? CloudErrorCodes.CloudError, action.Detail);
        }

        return previous;
    }

    /// <summary>
    /// The optimizer's own Spot nodes live outside the node groups, so scaling the groups to zero leaves them running:
    /// sleep terminates them too (one key per tick and node) and remembers what they were.
    /// </summary>
    private async Task<IReadOnlyList<SleepingNode>> StopOwnNodesAsync(ExecutionScope scope, DateTimeOffset at, ClusterNodegroups groups)
    {
        var instances = await cloud.Ec2.DescribeInstancesAsync(scope.Session, scope.Region, CancellationToken.None);
        var ours = instances.Where(i => i.IsActive && OptimizerNodes.IsOurs(i, scope.ClusterName)).OrderBy(i => i.InstanceId, StringComparer.Ordinal).ToList();
        foreach (var node in ours)
        {
            var action = await executor.TerminateAsync(scope, $"hibernate/{this.GetPrimaryKeyString()}/{at.UtcTicks}/{node.InstanceId}", ExecutorSteps.TerminateNode,
                node.InstanceId, CancellationToken.None);
            if (!action.Succeeded) throw new CloudException(action.ErrorCode ?? CloudErrorCodes.CloudError, action.Detail);
        }

        return [.. ours.Select(i => new SleepingNode(i.InstanceType, i.AvailabilityZone, i.Lifecycle == InstanceLifecycle.Spot ? "spot" : "on_demand",
            groups.For(i.AvailabilityZone, i.Tags.GetValueOrDefault(OptimizerNodes.NodegroupTag))))];
    }

    /// <summary>
    /// Waking brings back the nodes sleep stopped, same type, zone, purchase option and node group (its launch template
    /// and subnets). Keys name the sleep they undo, not this tick, so a wake retried on a later tick relaunches nothing twice.
    /// </summary>
    private async Task<IReadOnlyList<SleepingNode>> RelaunchOwnNodesAsync(ExecutionScope scope, ClusterNodegroups groups)
    {
        var saved = state.State.SleepingNodes;
        var slept = state.State.Transitions.LastOrDefault(t => t.Power == ClusterPower.Asleep && !t.DryRun)?.At.UtcTicks ?? 0;
        for (var i = 0; i < saved.Count; i++)
        {
            var node = saved[i];
            var action = await executor.LaunchAsync(scope, $"wake/{this.GetPrimaryKeyString()}/{slept}/launch-{i}",
                node.Lifecycle == "spot" ? InstanceLifecycle.Spot : InstanceLifecycle.OnDemand, node.InstanceType, node.AvailabilityZone,
                OptimizerNodes.Tags(scope.ClusterName, "woken"), CancellationToken.None, groups.For(node.AvailabilityZone, node.Nodegroup));
            if (!action.Succeeded) throw new CloudException(action.ErrorCode ?? CloudErrorCodes.CloudError, action.Detail);
            if (action.InstanceId is { } id) state.State.PlacedByUs[id] = action.At;
        }

        return scope.DryRun ? saved : [];
    }

    private object Settings() => new
    {
        schedule_matrix = state.State.ScheduleMatrix, time_zone = state.State.TimeZone, prewarm = state.State.Prewarm, override_until = state.State.OverrideUntil,
    };

    private HibernationView HibernationView() => new(
        this.GetPrimaryKeyString(), state.State.ScheduleMatrix, state.State.TimeZone, state.State.Prewarm, state.State.OverrideUntil, state.State.Power,
        [.. state.State.Transitions.TakeLast(10)]);

    [LoggerMessage(2, LogLevel.Warning, "Hibernation of cluster {Cluster} failed: {Code}")]
    private static partial void LogHibernationFailed(ILogger logger, Exception exception, string cluster, string code);
}

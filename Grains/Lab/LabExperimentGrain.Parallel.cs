using Orleans;
using Orleans.Runtime;
using SpotOptimizer.Cloud;
using SpotOptimizer.Grains.Execution;
using SpotOptimizer.Grains.Interfaces.Clusters;
using SpotOptimizer.Grains.Interfaces.Lab;
using SpotOptimizer.Grains.Market;
using SpotOptimizer.Optimization.Lab;
using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Risk;
using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Grains.Lab;

/// <summary>
/// The A/B test: every tick each arm accrues what its node saved since the last tick, counts the interruption notices
/// of its own node, asks its own model where the node should run (<see cref="ArmDecision"/>) and, when it should move,
/// replaces it through the executor: launch in the chosen pool (tagged with the experiment and arm), wait until it
/// runs (the boot time), drain and terminate the node it leaves. Arms alternate who acts first, so neither always
/// sees the market first.
/// </summary>
public sealed partial class LabExperimentGrain
{
    public async Task<ExperimentView> StartParallel(ParallelExperimentStart start)
    {
        if (S.Kind is not null) return _view!;
        S.EndsAt = time.GetUtcNow() + start.Duration;
        await BeginAsync(ExperimentKinds.Parallel, start.OrganizationId, start.Actor, start.ClusterId,
            [.. start.Arms.Select(a => new ArmState { Arm = a.Arm, ModelId = a.ModelId, OriginalInstanceId = a.InstanceId, OriginalType = a.InstanceType, CurrentInstanceId = a.InstanceId })],
            new { ends_at = S.EndsAt, arms = start.Arms.Select(a => new { a.Arm, instance_id = a.InstanceId, model_id = a.ModelId }) });
        await this.RegisterOrUpdateReminder(Reminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        StartTicking();
        return _view!;
    }

    private async Task TickAsync()
    {
        if (S.Kind != ExperimentKinds.Parallel || ExperimentStatus.IsFinished(S.Status)) return;
        _tick = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            if (S.StoppedBy is null) await TickArmsAsync();
            if (S.StoppedBy is not null && !ExperimentStatus.IsFinished(S.Status)) await FinishAsync(ExperimentStatus.Stopped);
        }
        catch (CloudException exception)
        {
            // The cloud refused or failed this tick (throttling, an expired role): the next tick tries again.
            LogTickFailed(logger, exception, Id, exception.Code);
        }
        finally
        {
            _tick.TrySetResult();
            _tick = null;
        }
    }

    private async Task TickArmsAsync()
    {
        var now = time.GetUtcNow();
        if (now >= S.EndsAt)
        {
            await FinishAsync(ExperimentStatus.Completed);
            return;
        }

        if (await ScopeAsync() is not { } scope)
        {
            await FinishAsync(ExperimentStatus.Failed, "The cluster is no longer managed, or its AWS account is not linked (or no longer the organization's).");
            return;
        }

        if (await GrainFactory.MarketSnapshotAsync(scope.Region) is not { } quoted) return;
        var translation = await GrainFactory.ZoneTranslationAsync(cloud, scope, quoted);
        var market = translation.ToTenant(quoted);
        var flagged = translation.ToTenant(await FlaggedAsync(scope.Region));
        // The region's market quotes zones the account may not have (AZ names differ per account): arms stay in the cluster's.
        var clusterNodes = await GrainFactory.GetGrain<IClusterGrain>(S.ClusterId).GetNodes(S.OrganizationId);
        var zones = clusterNodes?.Select(n => n.AvailabilityZone)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList() is { Count: > 0 } known ? known : null;
        var groups = ClusterNodegroups.From(clusterNodes, []);
        var nodegroupOf = (clusterNodes ?? []).ToDictionary(n => n.InstanceId, n => n.Nodegroup, StringComparer.Ordinal);
        var notices = S.DryRun ? [] : await cloud.Instances.GetInterruptionNoticesAsync(scope.Session, scope.Region, S.NoticesSince, CancellationToken.None);
        var hours = S.LastTick is { } last ? Math.Max(0, (now - last).TotalHours) : 0;
        var reference = RiskReferenceData.Of(market);
        var order = S.Ticks % 2 == 0 ? S.Arms : [.. Enumerable.Reverse(S.Arms)];
        foreach (var arm in order)
        {
            // An arm's node belongs in its original node's group (its launch template and subnets).
            await TickArmAsync(arm, scope, market, flagged, zones, notices, reference, hours, now,
                zone => groups.For(zone, nodegroupOf.GetValueOrDefault(arm.OriginalInstanceId)));
        }

        S.Ticks++;
        S.LastTick = now;
        S.NoticesSince = now;
        await SaveAsync();
    }

    private async Task TickArmAsync(ArmState arm, ExecutionScope scope, MarketSnapshot market, IReadOnlySet<SpotPoolId> flagged, IReadOnlyList<string>? zones,
        IReadOnlyList<InterruptionNotice> notices, RiskReferenceData reference, double hours, DateTimeOffset now, Func<string, string?> nodegroupIn)
    {
        var original = market.OnDemand.FirstOrDefault(o => o.Type.Name == arm.OriginalType);
        if (arm.OnDemandHourlyPrice == 0 && original is not null && arm.HourlyPrice == 0)
        {
            arm.OnDemandHourlyPrice = original.PricePerHour;
            arm.HourlyPrice = original.PricePerHour;
        }

        if (hours > 0)
        {
            arm.SavingsUsd += (arm.OnDemandHourlyPrice - arm.HourlyPrice) * hours;
            if (arm.Zone is not null) arm.SpotHours += hours;
            arm.HourlySavings.Add(arm.OnDemandHourlyPrice - arm.HourlyPrice);
        }

        var interrupted = arm.Zone is not null && notices.Any(n => n.Kind == InterruptionKind.Interruption && n.InstanceId == arm.CurrentInstanceId);
        if (interrupted)
        {
            arm.Interruptions++;
            AddPoint(arm, "interrupted", null, null, $"{arm.CurrentInstanceId} got the two-minute notice");
        }

        if (original is null)
        {
            AddPoint(arm, "tick", null, null, $"no On-Demand price for {arm.OriginalType} in {scope.Region}");
            return;
        }

        var risk = (await AssessorForAsync(arm.ModelId, reference)).Memoized();
        var choice = ArmDecision.Choose(original.Type, zones, market, flagged, risk, now);
        arm.ModelVersion = choice?.ModelVersion ?? arm.ModelVersion;
        var current = arm.Zone is { } zone ? market.Pools.FirstOrDefault(p => p.Pool == new SpotPoolId(zone, arm.InstanceType!)) : null;
        var currentRisk = current is null ? 0 : risk.Assess(InterruptionContract.RequestFor(current.Pool.InstanceType, current.Pool.AvailabilityZone, current.HourlyHistory, now)).Probability;
        var position = new ArmPosition(arm.Zone is null ? null : new SpotPoolId(arm.Zone, arm.InstanceType!), arm.HourlyPrice, interrupted);
        if (choice is not null && ArmDecision.ShouldMove(position, choice, flagged, currentRisk))
        {
            await MoveAsync(arm, choice, scope, nodegroupIn(choice.Pool.AvailabilityZone));
            return;
        }

        if (current is not null) arm.HourlyPrice = current.SpotPrice;
        AddPoint(arm, "tick", null, currentRisk, choice is null ? "no Spot pool its model accepts" : null);
    }

    /// <summary>Replaces the arm's node with one in <paramref name="choice"/>'s pool; on a failed step, what was launched is terminated again.</summary>
    private async Task MoveAsync(ArmState arm, ArmChoice choice, ExecutionScope scope, string? nodegroup)
    {
        arm.Attempts++;
        await state.WriteStateAsync();
        var key = $"lab:{Id}:{arm.Arm}:{arm.Attempts}";
        var pool = choice.Pool;
        var launch = await executor.LaunchAsync(scope, $"{key}:launch", InstanceLifecycle.Spot, pool.InstanceType, pool.AvailabilityZone,
            LabTags.ForArm(scope.ClusterName, Id, arm.Arm), CancellationToken.None, nodegroup);
        if (!launch.Succeeded)
        {
            AddPoint(arm, "move_failed", null, choice.Risk, $"launch in {pool}: {launch.ErrorCode}");
            return;
        }

        if (launch.Result == ExecutorResults.DryRun)
        {
            // Dry run: nothing launched; the arm follows its model on paper (projected savings, no interruptions to observe).
            (arm.Zone, arm.InstanceType, arm.HourlyPrice) = (pool.AvailabilityZone, pool.InstanceType, choice.HourlyPrice);
            arm.Moves++;
            AddPoint(arm, "would_move", null, choice.Risk, $"would move to {pool}");
            return;
        }

        var launched = launch.InstanceId!;
        if (!arm.Launched.Contains(launched)) arm.Launched.Add(launched);
        await state.WriteStateAsync();
        var ready = await executor.WaitReadyAsync(scope, $"{key}:ready", launched, CancellationToken.None);
        var leaving = arm.CurrentInstanceId;
        var drained = ready.Succeeded && Owns(arm, leaving) ? await executor.DrainAsync(scope, $"{key}:drain", leaving, CancellationToken.None) : null;
        if (!ready.Succeeded || drained is not { Succeeded: true })
        {
            await executor.TerminateAsync(scope, $"{key}:rollback", ExecutorSteps.TerminateLaunched, launched, CancellationToken.None);
            AddPoint(arm, "move_failed", null, choice.Risk, $"{(ready.Succeeded ? "drain" : "boot")} failed: {(ready.Succeeded ? drained?.ErrorCode : ready.ErrorCode) ?? "not the arm's node"}; {launched} terminated again");
            return;
        }

        await executor.TerminateAsync(scope, $"{key}:terminate", ExecutorSteps.TerminateNode, leaving, CancellationToken.None);
        var boot = (launch.DurationMs + ready.DurationMs) / 1000;
        arm.BootSeconds.Add(boot);
        (arm.CurrentInstanceId, arm.Zone, arm.InstanceType, arm.HourlyPrice) = (launched, pool.AvailabilityZone, pool.InstanceType, choice.HourlyPrice);
        arm.Moves++;
        AddPoint(arm, "moved", boot, choice.Risk, $"{leaving} → {launched} in {pool}");
        await GrainFactory.GetGrain<ILabDirectoryGrain>(ILabDirectoryGrain.Key).Update(Summary());
    }

    /// <summary>Tag isolation: an arm may only ever drain or terminate its own original node or a node it launched.</summary>
    private static bool Owns(ArmState arm, string instanceId) => instanceId == arm.OriginalInstanceId || arm.Launched.Contains(instanceId);

    [Microsoft.Extensions.Logging.LoggerMessage(1, Microsoft.Extensions.Logging.LogLevel.Warning, "Lab experiment {ExperimentId}: a tick failed with {Code}; the next tick tries again")]
    private static partial void LogTickFailed(Microsoft.Extensions.Logging.ILogger logger, Exception exception, string experimentId, string code);
}

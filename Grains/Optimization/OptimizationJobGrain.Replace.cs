using System.Text.Json;
using SpotOptimizer.Cloud;
using SpotOptimizer.Grains.Execution;
using SpotOptimizer.Grains.Interfaces.Optimization;
using SpotOptimizer.Optimization.Cluster;
using SpotOptimizer.Optimization.Selection;

namespace SpotOptimizer.Grains.Optimization;

/// <summary>
/// One replacement as CORE-EXEC steps: launch the new node → wait until it runs → drain the old one (PDBs and
/// excluded namespaces honoured by the drain) → terminate it → shrink its node group so the group does not replace
/// it. A new node that does not join, or an old one that cannot drain, is rolled back: the node just launched is
/// terminated again. Once the old node is drained its pods run on the new one, so a failure to terminate the old node
/// is not rolled back: the replacement fails, and the drained old node stays cordoned and empty, its failed step in the job's log.
/// Keys are <c>{job}/{n}/{step}</c>, so re-running a job's step never repeats it.
/// </summary>
public sealed partial class OptimizationJobGrain
{
    private async Task ReplaceAsync(ExecutionScope scope, int index, PlannedReplacementView replacement, Dictionary<string, DateTimeOffset> placed,
        ClusterNodegroups groups)
    {
        var key = $"{JobId}/{index}";
        var lifecycle = replacement.TargetPurchase == "spot" ? InstanceLifecycle.Spot : InstanceLifecycle.OnDemand;
        var tags = OptimizerNodes.Tags(scope.ClusterName, replacement.Reason,
            new Dictionary<string, string> { [OptimizerNodes.ReplacesTag] = replacement.InstanceId, [OptimizerNodes.JobTag] = JobId });

        // From the old node's node group (one of the cluster's when the old node had none): its launch template and
        // subnets, so the new node joins the cluster as its peers do.
        var launch = await StepAsync(index, executor.LaunchAsync(scope, $"{key}/launch", lifecycle, replacement.TargetType,
            replacement.TargetZone, tags, Stopping, groups.For(replacement.TargetZone, replacement.Nodegroup)));
        if (!launch.Succeeded)
        {
            await OutcomeAsync(index, ReplacementOutcomes.Failed, null);
            return;
        }

        var ready = await StepAsync(index, executor.WaitReadyAsync(scope, $"{key}/ready", launch.InstanceId, Stopping));
        var drained = ready.Succeeded ? await StepAsync(index, executor.DrainAsync(scope, $"{key}/drain", replacement.InstanceId, Stopping)) : ready;
        if (!drained.Succeeded)
        {
            // The old node keeps its pods; the new one would only add cost. A rollback that could not terminate it is a
            // failure, not a rollback: the job's view shows the new node still there and the step that failed.
            var rolledBack = launch.InstanceId is not { } launched
                || (await StepAsync(index, executor.TerminateAsync(scope, $"{key}/rollback", ExecutorSteps.TerminateLaunched, launched, Stopping))).Succeeded;
            await OutcomeAsync(index, rolledBack ? ReplacementOutcomes.RolledBack : ReplacementOutcomes.Failed, launch.InstanceId);
            return;
        }

        var terminated = await StepAsync(index, executor.TerminateAsync(scope, $"{key}/terminate", ExecutorSteps.TerminateNode, replacement.InstanceId, Stopping));
        if (terminated.Succeeded && replacement.Nodegroup is { } group && await ShrunkSizeAsync(scope, group, replacement.InstanceId) is { } target)
        {
            await StepAsync(index, executor.ResizeNodegroupAsync(scope, $"{key}/resize", group, target, Stopping));
        }

        if (!scope.DryRun && launch.InstanceId is { } id)
        {
            placed[id] = launch.At;
            if (terminated.Succeeded) await RecordReplacedAsync(replacement, id);
        }

        await OutcomeAsync(index, !terminated.Succeeded ? ReplacementOutcomes.Failed : scope.DryRun ? ReplacementOutcomes.DryRun : ReplacementOutcomes.Replaced,
            launch.InstanceId);
    }

    /// <summary>
    /// The ledger's word that a node was really replaced, priced as the plan priced it: what realised savings are
    /// computed from. Written before the outcome is saved, so a restart in between repeats it rather than loses it;
    /// (job_id, old_instance_id) names one replacement, so a reader can tell a repeat.
    /// </summary>
    private Task RecordReplacedAsync(PlannedReplacementView replacement, string newInstanceId) =>
        ledger.RecordAsync(S.OrganizationId!, S.Actor, "node.replaced", Resource, JsonSerializer.Serialize(new
        {
            job_id = JobId,
            old_instance_id = replacement.InstanceId,
            old_instance_type = replacement.FromType,
            old_zone = replacement.FromZone,
            old_purchase = replacement.FromPurchase,
            old_price_per_hour = replacement.CurrentPricePerHour,
            new_instance_id = newInstanceId,
            new_instance_type = replacement.TargetType,
            new_zone = replacement.TargetZone,
            new_purchase = replacement.TargetPurchase,
            new_price_per_hour = replacement.TargetPricePerHour,
            reason = replacement.Reason,
        }, Json), CancellationToken.None);

    /// <summary>
    /// The node group's size once the removed node is gone: its live nodes, read now rather than from discovery, so
    /// the target is right however many replacements (or a resumed job) came before; null when nothing is to shrink.
    /// A Spot replacement lowers the minimum if the group would fall below it (the replacement runs outside the group);
    /// consolidation (<paramref name="keepMinimum"/>) never does: its plan keeps the group at or above its minimum, and
    /// should a race leave fewer nodes, the desired size stays at the minimum and the group launches the difference.
    /// </summary>
    private async Task<NodegroupScaling?> ShrunkSizeAsync(ExecutionScope scope, string nodegroup, string removedInstanceId, bool keepMinimum = false)
    {
        var current = await cloud.Eks.DescribeNodegroupAsync(scope.Session, scope.Region, scope.ClusterName, nodegroup, CancellationToken.None);
        var instances = await cloud.Ec2.DescribeInstancesAsync(scope.Session, scope.Region, CancellationToken.None);
        var live = instances.Count(i => i.ClusterName == scope.ClusterName && i.NodegroupName == nodegroup && i.IsActive && i.InstanceId != removedInstanceId);
        var scaling = current.Scaling;
        if (keepMinimum)
        {
            var desired = Math.Max(live, scaling.MinSize);
            return desired >= scaling.DesiredSize ? null : new NodegroupScaling(scaling.MinSize, Math.Max(1, scaling.MaxSize), desired);
        }

        return scaling.DesiredSize <= live ? null : new NodegroupScaling(Math.Min(scaling.MinSize, live), Math.Max(1, scaling.MaxSize), live);
    }

    /// <summary>Records an executed step in the job's action log; <paramref name="label"/> names what it belongs to (a replacement, a consolidation, headroom).</summary>
    private async Task<ExecutedAction> StepAsync(int index, Task<ExecutedAction> step, string label = "")
    {
        var action = await step;
        S.Actions.Add(new JobActionView(action.Step, action.Result, $"{label}#{index} {action.Detail}", action.InstanceId, action.ErrorCode, action.LogLine,
            action.At, Math.Round(action.DurationMs, 1)));
        await SaveAsync(S.Stage);
        return action;
    }

    private Task OutcomeAsync(int index, string outcome, string? newInstanceId)
    {
        var items = S.Plan!.Replacements.ToList();
        items[index] = items[index] with { Outcome = outcome, NewInstanceId = newInstanceId };
        S.Plan = S.Plan with { Replacements = items };
        return SaveAsync(S.Stage);
    }

    private static JobPlanView PlanView(ClusterPlan plan, int nodesSeen, int flaggedPools) => new(
        nodesSeen, flaggedPools, plan.RiskSource == SpotOptimizer.Optimization.Risk.RiskSource.Model ? "model" : "heuristic_fallback", plan.RiskModelVersion,
        plan.PricesStale, plan.DisruptionBudget, Math.Round(plan.HourlySaving, 4),
        [.. plan.Replacements.Select(r => new PlannedReplacementView(
            r.Node.InstanceId, r.Node.InstanceType, r.Node.AvailabilityZone, Purchase(r.Node.Purchase), r.Node.Nodegroup, r.Reason,
            r.Target.InstanceType, r.Target.AvailabilityZone, Purchase(r.TargetPurchase), Math.Round(r.CurrentPricePerHour, 4),
            Math.Round(r.TargetPricePerHour, 4), Math.Round(r.TargetRisk, 3), ReplacementOutcomes.Pending, null))],
        [.. plan.Blocked.Select(b => new BlockedReplacementView(b.InstanceId, b.Code, b.Reason))],
        plan.Notes);

    private static string Purchase(PurchaseOption purchase) => purchase == PurchaseOption.Spot ? "spot" : "on_demand";
}

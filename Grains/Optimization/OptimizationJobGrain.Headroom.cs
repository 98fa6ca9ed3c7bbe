using SpotOptimizer.Cloud;
using SpotOptimizer.Grains.Execution;
using SpotOptimizer.Grains.Interfaces.Clusters;
using SpotOptimizer.Grains.Interfaces.Optimization;
using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Packing;
using SpotOptimizer.Optimization.Risk;
using SpotOptimizer.Optimization.Selection;
using PackingTemplate = SpotOptimizer.Optimization.Packing.NodeTemplate;

namespace SpotOptimizer.Grains.Optimization;

/// <summary>
/// Headroom kept, not only honoured (issue 14 item 7): when the schedulable nodes' spare capacity is short of the
/// policy's headroom, the job launches the cheapest safe nodes that cover the deficit (<see cref="HeadroomTopUp"/>),
/// after the Spot replacements and before consolidation, through <see cref="CloudExecutor"/> with keys
/// <c>{job}/headroom/{n}/launch</c>. They are tagged as ours (reason <c>headroom</c>); consolidation leaves them alone
/// while they are young and afterwards as long as the packer's headroom rule needs their spare.
/// </summary>
public sealed partial class OptimizationJobGrain
{
    private const string HeadroomReason = "headroom";

    /// <summary>Null when the policy asks for no headroom.</summary>
    private HeadroomPlanView? PlanHeadroom(OptimizationInputs inputs, ConsolidationInputs mapped, AgentInventory inventory, IReadOnlyList<Ec2Instance> instances,
        MarketSnapshot market, PackingTemplate template)
    {
        var policy = inputs.Policy;
        if (policy.Headroom is not { IsNone: false }) return null;
        var podsByNode = inventory.Pods.Where(p => p.Node is not null).ToLookup(p => p.Node!, StringComparer.Ordinal);
        var nodes = mapped.NodesByName.Values.Select(n => new CapacityNode(
            new Resources(n.Allocatable.CpuMillicores, n.Allocatable.MemoryMiB, n.Allocatable.Pods),
            new Capacity(podsByNode[n.Name].Sum(p => (long)p.CpuRequestMillicores), podsByNode[n.Name].Sum(p => (long)p.MemoryRequestMiB)),
            Schedulable(n))).ToList();
        // A node still joining (launched, not yet in the agent's report — the last run's headroom node, above all) is
        // counted empty: else every run until the agent sees it would launch the same headroom again.
        var reported = mapped.NodesByName.Values.Select(n => n.InstanceId).ToHashSet(StringComparer.Ordinal);
        var types = market.OnDemand.Select(o => o.Type).Concat(market.Pools.Select(p => p.Type)).DistinctBy(t => t.Name).ToDictionary(t => t.Name, StringComparer.Ordinal);
        nodes.AddRange(instances.Where(i => i.ClusterName == inputs.ClusterName && i.IsActive && !reported.Contains(i.InstanceId) && types.ContainsKey(i.InstanceType))
            .Select(i => types[i.InstanceType])
            .Select(t => new CapacityNode(new Resources(t.AllocatableCpuMillicores, t.AllocatableMemoryMiB, t.MaxPods), new Capacity(0, 0), Schedulable: true)));
        var daemonSets = mapped.Request.DaemonSetOverhead;
        var (required, spare) = HeadroomTopUp.Measure(nodes, mapped.Request.Policy.Spare, daemonSets);

        // The offers are consolidation's: unflagged Spot pools and On-Demand types; each Spot pool's risk as CORE-DECIDE assesses it.
        var risk = RiskFor(market).Memoized();
        var quotes = market.Pools.ToDictionary(q => q.Pool);
        var now = time.GetUtcNow();
        var offers = mapped.Request.Offers.Where(o => template.Allows(o.Type)).Select(o => new HeadroomOffer(o,
            o.Capacity == PurchaseOption.Spot && quotes.TryGetValue(new SpotPoolId(o.Zone, o.Type.Name), out var quote)
                ? risk.Assess(InterruptionContract.RequestFor(o.Type.Name, o.Zone, quote.HourlyHistory, now)).Probability
                : 0)).ToList();
        var plan = HeadroomTopUp.Plan(required, spare, offers,
            new HeadroomTopUpPolicy(optimizer.Value.MaxRiskFor(policy.KarpenterStrategy), policy.OnDemandFallback, template, daemonSets));
        var launches = plan.Offer is { } offer
            ? Enumerable.Repeat(new HeadroomLaunchView(offer.Type.Name, offer.Zone, Purchase(offer.Capacity), Math.Round(offer.HourlyPrice, 4), Math.Round(plan.Risk, 3),
                HeadroomOutcomes.Pending, null), plan.Count).ToList()
            : [];
        return new HeadroomPlanView(required.CpuMillicores, required.MemoryMiB, spare.CpuMillicores, spare.MemoryMiB, plan.Deficit.CpuMillicores, plan.Deficit.MemoryMiB,
            launches, Math.Round(plan.HourlyCost * 730, 2), plan.Code, plan.Detail);
    }

    /// <summary>
    /// A pending pod could land on it now: healthy (no unhealthy condition) and no NoSchedule/NoExecute taint — a
    /// cordoned node carries <c>node.kubernetes.io/unschedulable:NoSchedule</c>; a dedicated node's taint keeps the
    /// ordinary pods a burst brings off it too.
    /// </summary>
    private static bool Schedulable(InventoryNode node) =>
        node.Conditions.Count == 0 && !node.Taints.Any(t => t.EndsWith(":NoSchedule", StringComparison.Ordinal) || t.EndsWith(":NoExecute", StringComparison.Ordinal));

    /// <summary>Launches every headroom node still pending; false when the job was stopped on the way.</summary>
    private async Task<bool> KeepHeadroomAsync(ExecutionScope scope, IClusterGrain cluster, Dictionary<string, DateTimeOffset> placed, ClusterNodegroups groups)
    {
        var count = S.Plan!.Headroom?.Launches.Count ?? 0;
        for (var i = 0; i < count; i++)
        {
            var launch = S.Plan.Headroom!.Launches[i];
            if (launch.Outcome != HeadroomOutcomes.Pending) continue;
            if (await StoppedAsync()) return false;
            var lifecycle = launch.Purchase == "spot" ? InstanceLifecycle.Spot : InstanceLifecycle.OnDemand;
            var tags = OptimizerNodes.Tags(scope.ClusterName, HeadroomReason, new Dictionary<string, string> { [OptimizerNodes.JobTag] = JobId });
            // Headroom stands in for no node: the cluster's node group that runs most nodes in the zone lends its template and subnets.
            var action = await StepAsync(i, executor.LaunchAsync(scope, $"{JobId}/headroom/{i}/launch", lifecycle, launch.InstanceType, launch.Zone, tags,
                Stopping, groups.For(launch.Zone)), "headroom ");
            if (!scope.DryRun && action.Succeeded && action.InstanceId is { } id) placed[id] = action.At;
            var outcome = !action.Succeeded ? HeadroomOutcomes.Failed : scope.DryRun ? HeadroomOutcomes.DryRun : HeadroomOutcomes.Launched;
            var launches = S.Plan.Headroom.Launches.ToList();
            launches[i] = launch with { Outcome = outcome, NewInstanceId = action.InstanceId };
            S.Plan = S.Plan with { Headroom = S.Plan.Headroom with { Launches = launches } };
            await SaveAsync(S.Stage);
            await cluster.RenewOptimization(JobId);
        }

        return true;
    }
}

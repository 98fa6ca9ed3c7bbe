namespace SpotOptimizer.Optimization.Packing;

/// <summary>
/// MOD-PACK-01's migration plan for a running cluster, in Karpenter's consolidation order: empty nodes are deleted
/// first, then one multi-node consolidation (several nodes whose pods fit on the others plus at most one cheaper new
/// node), then single-node consolidation (a node whose pods fit elsewhere, or on one cheaper node). Each action is
/// simulated on the state the previous ones leave before it is proposed; every node left alone gets a reason code.
/// Pure: no clock, no I/O; the same request gives the same plan.
/// </summary>
public static class Consolidator
{
    /// <summary>Karpenter's cap on one multi-node attempt: the simulation cost grows with the set.</summary>
    private const int MaxMultiNodeCandidates = 100;

    public static MigrationPlan Plan(ConsolidationRequest request)
    {
        var pods = new PodTable([.. request.Nodes.SelectMany(n => n.Pods)], request.Workloads);
        var offers = request.Offers.Where(o => request.Template.Allows(o.Type))
            .OrderBy(o => o.HourlyPrice).ThenBy(o => o.Type.Name, StringComparer.Ordinal).ThenBy(o => o.Zone, StringComparer.Ordinal).ToList();
        var placement = new Placement(pods, request.Nodes.Select(n => n.Labels.Zone), offers.Select(o => o.Zone));
        var slots = new Dictionary<Slot, ExistingNode>();
        var next = 0;
        foreach (var node in request.Nodes)
        {
            var slot = placement.Open(node.Name, node.Labels, request.Policy.Usable(node.Allocatable, request.DaemonSetOverhead), node.HourlyPrice, null);
            slots[slot] = node;
            for (var i = 0; i < node.Pods.Count; i++) placement.Place(next++, slot);
        }

        var simulation = new RemovalSimulation(placement, offers, request.Policy, request.DaemonSetOverhead);
        var actions = new List<ConsolidationAction>();
        var skipped = new List<SkippedOpportunity>();
        var candidates = new List<Slot>();
        foreach (var (slot, node) in slots.OrderBy(s => s.Value.Pods.Count == 0 ? 0 : 1).ThenBy(s => DisruptionOrder(s.Value)).ThenBy(s => s.Value.Name, StringComparer.Ordinal))
        {
            if (node.Pin is { } pin) skipped.Add(new(node.Name, pin.Code, pin.Detail));
            else if (node.Pods.FirstOrDefault(p => p.DoNotDisrupt) is { } pinned) skipped.Add(new(node.Name, PackingReasons.DoNotDisrupt, $"pod {pinned.Namespace}/{pinned.Name} is annotated spotoptimizer.io/do-not-disrupt"));
            else candidates.Add(slot);
        }

        foreach (var slot in candidates.Where(s => s.Pods.Count == 0).ToList())
        {
            Decide(simulation, placement, [slot], ConsolidationKind.DeleteEmpty, allowReplacement: false, actions, skipped);
            candidates.Remove(slot);
        }

        var multi = MultiNodeSet(simulation, candidates);
        if (multi.Count >= 2)
        {
            Decide(simulation, placement, multi, ConsolidationKind.MultiNode, allowReplacement: true, actions, skipped);
            candidates.RemoveAll(multi.Contains);
        }

        foreach (var slot in candidates)
        {
            Decide(simulation, placement, [slot], ConsolidationKind.SingleNode, allowReplacement: true, actions, skipped);
        }

        return new MigrationPlan(actions, skipped);
    }

    /// <summary>
    /// Nodes whose pods matter least and are fewest to move go first (Karpenter's disruption cost: priority, pod
    /// count); then the dearer, then nodes we launched ourselves (the customer's own are disturbed last); then by name
    /// (ordinal, so the plan does not depend on the machine's culture).
    /// </summary>
    private static (int, int, double, int) DisruptionOrder(ExistingNode node) =>
        (node.Pods.Count == 0 ? int.MinValue : node.Pods.Max(p => p.Priority), node.Pods.Count, -node.HourlyPrice, node.LaunchedByUs ? 0 : 1);

    /// <summary>Greedy: each candidate joins the set if the set with it still consolidates (onto the others plus at most one new node).</summary>
    private static List<Slot> MultiNodeSet(RemovalSimulation simulation, List<Slot> candidates)
    {
        var set = new List<Slot>();
        foreach (var slot in candidates.Take(MaxMultiNodeCandidates))
        {
            List<Slot> trial = [.. set, slot];
            var outcome = simulation.Try(trial, allowReplacement: true);
            if (!outcome.Ok) continue;
            simulation.Rollback(trial, outcome);
            set = trial;
        }

        return set;
    }

    private static void Decide(RemovalSimulation simulation, Placement placement, List<Slot> removed, ConsolidationKind kind, bool allowReplacement,
        List<ConsolidationAction> actions, List<SkippedOpportunity> skipped)
    {
        var outcome = simulation.Try(removed, allowReplacement);
        if (!outcome.Ok)
        {
            skipped.AddRange(removed.Select(s => new SkippedOpportunity(s.Name, outcome.Code!, outcome.Detail)));
            return;
        }

        var pods = placement.Pods;
        var moves = outcome.Moves
            .Select(m => new PodMove(pods.Specs[m.Pod].Name, pods.Specs[m.Pod].Namespace, pods.Specs[m.Pod].Workload, m.From.Name, m.To.Name))
            .ToList();
        var steps = DrainSteps.For(removed, outcome, pods);
        actions.Add(new ConsolidationAction(kind, [.. removed.Select(s => s.Name)], outcome.Replacement?.Offer, outcome.Replacement?.Name, outcome.RemovedCost, moves, steps));
    }
}

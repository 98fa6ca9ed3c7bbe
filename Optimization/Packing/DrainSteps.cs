namespace SpotOptimizer.Optimization.Packing;

/// <summary>
/// An action's steps for the executor: launch the replacement first (its pods need somewhere to go), cordon every
/// removed node (so evicted pods do not land on a node about to go), then per node drain in waves and terminate. A
/// wave evicts at most the PDB's allowance of each workload; the next waits until those pods run again.
/// </summary>
internal static class DrainSteps
{
    public static List<PlanStep> For(IReadOnlyList<Slot> removed, RemovalOutcome outcome, PodTable pods)
    {
        var steps = new List<PlanStep>();
        if (outcome.Replacement is { } replacement) steps.Add(new PlanStep(StepKind.Launch, replacement.Name, []));
        steps.AddRange(removed.Select(s => new PlanStep(StepKind.Cordon, s.Name, [])));
        foreach (var slot in removed)
        {
            var waves = new SortedDictionary<int, List<PodMove>>();
            var evictedSoFar = new Dictionary<int, int>();
            foreach (var (pod, from, to) in outcome.Moves.Where(m => m.From == slot))
            {
                var w = pods.Workload[pod];
                var rank = evictedSoFar.GetValueOrDefault(w);
                evictedSoFar[w] = rank + 1;
                var wave = rank / Math.Max(1, pods.Workloads[w].AllowedEvictions);
                if (!waves.TryGetValue(wave, out var list)) waves[wave] = list = [];
                list.Add(new PodMove(pods.Specs[pod].Name, pods.Specs[pod].Namespace, pods.Specs[pod].Workload, from.Name, to.Name));
            }

            steps.AddRange(waves.Values.Select(evictions => new PlanStep(StepKind.Drain, slot.Name, evictions)));
            steps.Add(new PlanStep(StepKind.Terminate, slot.Name, []));
        }

        return steps;
    }
}

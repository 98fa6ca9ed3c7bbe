namespace SpotOptimizer.Optimization.Packing;

/// <summary>Pods and the rules of their workloads, as a cluster runs them.</summary>
public sealed record WorkloadMix(IReadOnlyList<PodSpec> Pods, IReadOnlyList<WorkloadRules> Rules);

/// <summary>
/// A seeded mix of real-looking workloads for the benchmark, the tests and the demo's projection: web front ends
/// (250m / 512Mi, spread over zones), JVM services (1-2 vCPU / 2-4 GiB, half with one replica per node), batch jobs
/// (4 vCPU / 8 GiB), memory-heavy caches (0.5 vCPU / 8-16 GiB, one per node) and sidecar-heavy pods (app plus mesh
/// and log sidecars, spread over zones). The kinds are drawn per workload; the benchmark reports the resulting totals.
/// </summary>
public static class SyntheticWorkloads
{
    private static readonly string[] Namespaces = ["shop", "payments", "search", "data", "platform"];

    public static WorkloadMix Generate(int podCount, int seed)
    {
        var random = new Random(seed);
        var pods = new List<PodSpec>(podCount);
        var rules = new List<WorkloadRules>();
        var workloads = 0;
        while (pods.Count < podCount)
        {
            var ns = Namespaces[random.Next(Namespaces.Length)];
            var name = $"w{++workloads:D4}";
            var kind = random.NextDouble();
            var (prefix, cpu, memory, replicas, rule) = kind switch
            {
                < 0.35 => ("web", 250, 512, random.Next(4, 31), new WorkloadRules(ns, name, ZoneMaxSkew: 1, Budget: new DisruptionBudget(MaxUnavailable: 1))),
                < 0.60 => ("jvm", 1000 + (250 * random.Next(5)), 2048 + (512 * random.Next(5)), random.Next(2, 13),
                    new WorkloadRules(ns, name, OneReplicaPerNode: random.Next(2) == 0, Budget: new DisruptionBudget(MinAvailable: 1))),
                < 0.70 => ("batch", 4000, 8192, random.Next(1, 21), new WorkloadRules(ns, name)),
                < 0.80 => ("cache", 500, 8192 + (4096 * random.Next(3)), random.Next(3, 7), new WorkloadRules(ns, name, OneReplicaPerNode: true, Budget: new DisruptionBudget(MaxUnavailable: 1))),
                _ => ("mesh", 300 + 100 + 50 + (50 * random.Next(5)), 384 + 128 + 64 + (128 * random.Next(5)), random.Next(3, 21),
                    new WorkloadRules(ns, name, ZoneMaxSkew: 1)),
            };
            name = $"{prefix}-{name}";
            rules.Add(rule with { Workload = name });
            var priority = prefix == "batch" ? 0 : 1000;
            for (var r = 0; r < replicas && pods.Count < podCount; r++)
            {
                pods.Add(new PodSpec($"{name}-{r}", ns, name, cpu, memory, priority));
            }
        }

        return new WorkloadMix(pods, rules);
    }
}

namespace SpotOptimizer.Optimization.Packing;

/// <summary>A workload's rules resolved to what the checks need; <see cref="Replicas"/> counts its pods in the problem.</summary>
internal sealed record WorkloadInfo(string Key, bool OneReplicaPerNode, int MaxSkew, DisruptionBudget? Budget, int Replicas)
{
    /// <summary>Evictions a drain step may make (unlimited without a PDB).</summary>
    public int AllowedEvictions => Budget?.AllowedEvictions(Replicas) ?? int.MaxValue;
}

/// <summary>The pods of one problem by index, in arrays: the checks run millions of times per packing.</summary>
internal sealed class PodTable
{
    public PodTable(IReadOnlyList<PodSpec> pods, IReadOnlyList<WorkloadRules> rules)
    {
        Specs = [.. pods];
        Cpu = [.. pods.Select(p => p.CpuMillicores)];
        Memory = [.. pods.Select(p => p.MemoryMiB)];
        Requirements = [.. pods.Select(p => p.Requirements)];
        var byKey = new Dictionary<string, WorkloadRules>(StringComparer.Ordinal);
        foreach (var rule in rules) byKey[KeyOf(rule.Namespace, rule.Workload)] = rule;
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var replicas = new List<int>();
        Workload = new int[pods.Count];
        for (var i = 0; i < pods.Count; i++)
        {
            var key = KeyOf(pods[i].Namespace, pods[i].Workload);
            if (!index.TryGetValue(key, out var w))
            {
                w = index[key] = index.Count;
                replicas.Add(0);
            }

            Workload[i] = w;
            replicas[w]++;
        }

        Workloads = new WorkloadInfo[index.Count];
        foreach (var (key, w) in index)
        {
            var rule = byKey.GetValueOrDefault(key);
            Workloads[w] = new WorkloadInfo(key, rule?.OneReplicaPerNode ?? false, Math.Max(0, rule?.ZoneMaxSkew ?? 0), rule?.Budget, replicas[w]);
        }
    }

    public PodSpec[] Specs { get; }

    public int[] Cpu { get; }

    public int[] Memory { get; }

    public NodeRequirements?[] Requirements { get; }

    public int[] Workload { get; }

    public WorkloadInfo[] Workloads { get; }

    public int Count => Specs.Length;

    public long TotalCpu => Cpu.Sum(c => (long)c);

    public long TotalMemory => Memory.Sum(m => (long)m);

    public static string KeyOf(string ns, string workload) => ns + "/" + workload;
}

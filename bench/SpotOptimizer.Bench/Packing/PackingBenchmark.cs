using System.Diagnostics;
using SpotOptimizer.Bench.Spot;
using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Packing;
using SpotOptimizer.Optimization.Selection;

namespace SpotOptimizer.Bench.Packing;

/// <summary>
/// `packing`: MOD-PACK-01's fresh packing of a seeded pod mix, onto one node type and onto the catalog's types, against
/// the per-resource lower bound and a first-fit-decreasing baseline; each packing timed after a warm-up.
/// </summary>
internal static class PackingBenchmark
{
    private const double NodesTarget = 1.03;
    private const double MillisecondsTarget = 100;
    private static readonly string[] Zones = ["us-east-1a", "us-east-1b", "us-east-1c"];

    /// <summary>Typical EKS DaemonSets: aws-node, kube-proxy, ebs-csi-node, a log shipper and a node exporter.</summary>
    internal static readonly Resources DaemonSets = new(450, 600, 5);

    public static Task<int> RunAsync(BenchArgs args)
    {
        var options = PackingOptions.Read(args);
        if (!BenchEnvironment.Start("packing", args)) return Task.FromResult(3);
        var pack = SpotDataPack.Locate(options.DataDirectory);
        var catalog = pack.Catalog();
        var prices = pack.OnDemandPrices();
        if (!catalog.ContainsKey(options.NodeType) || !prices.ContainsKey(options.NodeType)) throw new ArgumentException($"--type {options.NodeType} is not in the catalog with a price");
        var template = new NodeTemplate(options.Families, [CpuArchitecture.Amd64], MinVCpu: 2, MaxVCpu: 48);
        var allOffers = (from type in catalog.Values
                         where template.Allows(type) && prices.ContainsKey(type.Name)
                         from zone in Zones
                         select new NodeOffer(type, zone, PurchaseOption.OnDemand, prices[type.Name])).ToList();
        var oneType = allOffers.Where(o => o.Type.Name == options.NodeType).ToList();
        var policy = new PackingPolicy(options.Aggressiveness);
        Console.Error.WriteLine($"[packing] {options.Pods} pods, seeds {options.FirstSeed}…{options.FirstSeed + options.Seeds - 1}, {options.NodeType} and {allOffers.Count / Zones.Length} catalog types ({string.Join('/', options.Families)}), aggressiveness {options.Aggressiveness} %");
        var idle = BenchEnvironment.WaitForQuietMachine(TimeSpan.FromSeconds(options.WaitIdleSeconds));
        var before = ProcessCounters.Take();

        var table = new ResultTable($"packing: {options.Pods:N0} pods, aggressiveness {options.Aggressiveness} %, DaemonSets {DaemonSets.CpuMillicores}m / {DaemonSets.MemoryMiB} MiB / {DaemonSets.Pods} pods per node, On-Demand us-east-1 prices");
        var rows = new List<PackingRow>();
        for (var seed = options.FirstSeed; seed < options.FirstSeed + options.Seeds; seed++)
        {
            var mix = SyntheticWorkloads.Generate(options.Pods, seed);
            table.Add($"seed {seed}: the mix", $"{mix.Rules.Count} workloads", Describe(mix));
            rows.Add(Measure("one type", options.NodeType, mix, oneType, policy, seed, options));
            rows.Add(Measure("catalog", null, mix, allOffers, policy, seed, options));
        }

        var used = ProcessCounters.Take().Since(before);
        foreach (var row in rows) row.Report(table, NodesTarget, MillisecondsTarget);
        table.Add("Machine during the runs", $"{used.MachineBusyShare * 100:F0} % busy", $"this process {used.CpuShare * 100:F0} %, others {used.OthersShare * 100:F0} %; quiet wait: {(double.IsNaN(idle) ? "none" : $"{idle * 100:F0} % busy at start")}");
        table.Print();
        return Task.FromResult(table.Misses == 0 ? 0 : 1);
    }

    private static string Describe(WorkloadMix mix)
    {
        var rules = mix.Rules.ToDictionary(r => r.Workload, StringComparer.Ordinal);
        var kinds = mix.Pods.GroupBy(p => p.Workload[..p.Workload.IndexOf('-', StringComparison.Ordinal)], StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}");
        return $"{string.Join(", ", kinds)} pods; Σ {mix.Pods.Sum(p => (long)p.CpuMillicores) / 1000.0:N0} vCPU, {mix.Pods.Sum(p => (long)p.MemoryMiB) / 1024.0:N0} GiB; " +
               $"{mix.Pods.Count(p => rules[p.Workload].OneReplicaPerNode)} pods one-per-node, {mix.Pods.Count(p => rules[p.Workload].ZoneMaxSkew is not null)} zone-spread";
    }

    private static PackingRow Measure(string mode, string? bulkType, WorkloadMix mix, List<NodeOffer> offers, PackingPolicy policy, int seed, PackingOptions options)
    {
        var request = new FreshPackingRequest(mix.Pods, mix.Rules, offers, NodeTemplate.Any, policy, DaemonSets, seed);
        var result = FreshPacker.Pack(request);
        for (var i = 0; i < options.Warmup; i++) FreshPacker.Pack(request);
        var times = new double[options.Repeats];
        for (var i = 0; i < times.Length; i++)
        {
            var start = Stopwatch.GetTimestamp();
            FreshPacker.Pack(request);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(times);
        var mainType = bulkType ?? result.Nodes.GroupBy(n => n.Offer.Type.Name).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;
        var mainOffer = offers.First(o => o.Type.Name == mainType);
        var bound = LowerBound.Nodes(mix.Pods, policy.Usable(mainOffer.Allocatable, DaemonSets));
        var ffd = FreshPacker.FirstFitDecreasingBaseline(request, mainType);
        return new PackingRow(mode, bulkType is not null, seed, mainType, mix.Pods.Count, result, bound, ffd, LowerBound.HourlyCost(mix.Pods, offers, policy, DaemonSets),
            times[times.Length / 2], times[Math.Min(times.Length - 1, (int)Math.Ceiling(times.Length * 0.99) - 1)]);
    }
}

using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Packing;
using SpotOptimizer.Optimization.Selection;

namespace SpotOptimizer.Optimization.Tests.Packing;

/// <summary>Small clusters of m5 nodes with allocatable equal to raw capacity, no DaemonSets, so answers can be worked out by hand.</summary>
internal static class ClusterFixture
{
    public const string ZoneA = "us-east-1a";
    public const string ZoneB = "us-east-1b";
    public const string ZoneC = "us-east-1c";
    public static readonly string[] Zones = [ZoneA, ZoneB, ZoneC];

    public static readonly (string Name, int VCpu, int MemoryGiB, double Price)[] Types =
        [("m5.large", 2, 8, 0.096), ("m5.xlarge", 4, 16, 0.192), ("m5.2xlarge", 8, 32, 0.384)];

    public static PodSpec Pod(string workload, int index, int cpu = 500, int memoryMiB = 1024, bool doNotDisrupt = false, int priority = 0) =>
        new($"{workload}-{index}", "default", workload, cpu, memoryMiB, priority, DoNotDisrupt: doNotDisrupt);

    public static ExistingNode Node(string name, string zone, string type = "m5.xlarge", params PodSpec[] pods)
    {
        var (_, vcpu, memory, price) = Types.Single(t => t.Name == type);
        return new ExistingNode(name, type, new NodeLabels(zone, PurchaseOption.OnDemand, "m5", CpuArchitecture.Amd64), price,
            new Resources(vcpu * 1000, memory * 1024, 29), pods, LaunchedByUs: true);
    }

    public static List<NodeOffer> Offers(params string[] types) =>
        [.. from t in Types
            where types.Length == 0 || types.Contains(t.Name)
            from zone in Zones
            select new NodeOffer(Catalog.Type(t.Name, t.VCpu, t.MemoryGiB), zone, PurchaseOption.OnDemand, t.Price)];

    public static MigrationPlan Plan(IReadOnlyList<ExistingNode> nodes, IReadOnlyList<WorkloadRules>? rules = null, IReadOnlyList<NodeOffer>? offers = null,
        PackingPolicy? policy = null) =>
        Consolidator.Plan(new ConsolidationRequest(nodes, rules ?? [], offers ?? [], NodeTemplate.Any, policy ?? new PackingPolicy(80), new Resources(0, 0, 0)));
}

using SpotOptimizer.Cloud;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.Grains.Interfaces.Clusters;

namespace SpotOptimizer.SimulatedKubernetes;

/// <summary>
/// What runs on a simulated EKS cluster, as the inventory an agent would report: built from the world's running nodes
/// (allocatable from the simulator's instance catalog, as many pods as <see cref="SimulatedNode.PodCount"/> where their
/// requests fit). The workloads are a small shop: a zone-spread web front end with a PDB, an API, a one-per-node cache,
/// a do-not-disrupt ledger, a batch job, and two deployments that request far more than they use, so right-sizing has
/// something to say. The same nodes and seed give the same report, so an unchanged world does not move the inventory's version.
/// </summary>
public static class SimulatedWorkloads
{
    /// <summary>aws-node, kube-proxy and the EBS CSI node plugin on every node.</summary>
    public static readonly InventoryResources DaemonSets = new(150, 300, 3);

    private static readonly Shape Web = new("shop", "web", "Deployment", 250, 512, Usage(30, 55, 70, 140, 170, 190));
    private static readonly Shape Api = new("shop", "api", "Deployment", 200, 256, Usage(110, 170, 190, 170, 215, 240));
    private static readonly Shape Checkout = new("shop", "checkout", "Deployment", 100, 128, Usage(55, 85, 95, 90, 110, 120));
    private static readonly Shape Worker = new("jobs", "worker", "Deployment", 500, 1024, Usage(45, 90, 120, 180, 250, 290));
    private static readonly Shape Report = new("jobs", "nightly-report", "Job", 100, 256, null);
    private static readonly Shape Cache = new("data", "cache", "StatefulSet", 300, 1536, Usage(140, 210, 250, 1100, 1300, 1400));
    private static readonly Shape Ledger = new("data", "ledger", "StatefulSet", 200, 512, Usage(60, 120, 150, 300, 380, 420));
    private static readonly Shape[] Fillers = [Web, Web, Api, Api, Checkout, Worker, Report];

    /// <summary>
    /// The seed of a cluster's workloads, the same on every start (string hash codes are randomized per process): the
    /// demo's reports and the cluster's simulated Kubernetes API agree.
    /// </summary>
    public static int SeedOf(int worldSeed, string clusterName) =>
        clusterName.Aggregate(worldSeed, (hash, c) => unchecked((hash * 31) + c));

    /// <param name="now">
    /// Given, a node whose termination is still ahead (a Spot interruption notice gives two minutes) is still listed;
    /// without it only nodes with no termination at all are.
    /// </param>
    public static AgentInventory For(IEnumerable<SimulatedNode> clusterNodes, int seed, DateTimeOffset? now = null)
    {
        var rng = new Random(seed);
        var nodes = Nodes(clusterNodes, now);
        var pods = new List<InventoryPod>();
        foreach (var (node, index) in nodes.Select((n, i) => (n, i)))
        {
            var free = (Cpu: node.Node.Allocatable.CpuMillicores - DaemonSets.CpuMillicores, Memory: node.Node.Allocatable.MemoryMiB - DaemonSets.MemoryMiB);
            var placed = 0;
            bool Place(Shape shape, string name, bool doNotDisrupt = false, string? capacityAffinity = null)
            {
                if (shape.Cpu > free.Cpu || shape.Memory > free.Memory || placed >= node.PodCount) return false;
                free = (free.Cpu - shape.Cpu, free.Memory - shape.Memory);
                placed++;
                pods.Add(new InventoryPod(name, shape.Namespace, shape.Name, shape.Kind, node.Node.Name, shape.Cpu, shape.Memory,
                    shape.Cpu * 2, shape.Memory, 0, doNotDisrupt, CapacityTypeAffinity: capacityAffinity));
                return true;
            }

            if (index < 3) Place(Cache, $"cache-{index}");
            if (node.Node.CapacityType == "on_demand" && !pods.Any(p => p.Workload == Ledger.Name)) Place(Ledger, "ledger-0", doNotDisrupt: true, "on_demand");
            // Random shapes until the node's pod count is reached or even the smallest no longer fits.
            while (Fillers[rng.Next(Fillers.Length)] is var shape && (Place(shape, PodName(rng, shape)) || Place(Checkout, PodName(rng, Checkout))))
            {
            }
        }

        return new AgentInventory([.. nodes.Select(n => n.Node)], pods, Workloads(pods, nodes), DaemonSets);
    }

    private static List<(InventoryNode Node, int PodCount)> Nodes(IEnumerable<SimulatedNode> clusterNodes, DateTimeOffset? now)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        return [.. clusterNodes
            .Where(n => (n.TerminatedAt is null || n.TerminatedAt > now) && n.Instance.State == InstanceState.Running)
            .OrderBy(n => n.Instance.InstanceId, StringComparer.Ordinal)
            .Select(n =>
            {
                var i = n.Instance;
                // Two simulated nodes may draw the same private address; Kubernetes node names are unique.
                var name = names.Add(i.PrivateDnsName) ? i.PrivateDnsName : $"{i.PrivateDnsName}-{i.InstanceId}";
                names.Add(name);
                var node = new InventoryNode(name, i.InstanceId, i.InstanceType, i.AvailabilityZone,
                    i.Lifecycle == InstanceLifecycle.Spot ? "spot" : "on_demand", i.NodegroupName, i.NodePool, Allocatable(i.InstanceType), [], [], i.LaunchTime);
                return (node, n.PodCount);
            })];
    }

    /// <summary>EKS's kube-reserved for the type (CPU by the core-share ladder, memory 255 MiB + 11 MiB a pod) and the 100 MiB eviction threshold.</summary>
    private static InventoryResources Allocatable(string instanceType)
    {
        var spec = InstanceCatalog.Find(instanceType) ?? new InstanceTypeSpec(instanceType, 2, 4, "x86_64", 0, 29, 0);
        var reservedCpu = 60 + (spec.VCpus > 1 ? 10 : 0) + (5 * Math.Clamp(spec.VCpus - 2, 0, 2)) + (int)(2.5 * Math.Max(0, spec.VCpus - 4));
        var memory = (int)(spec.MemoryGiB * 1024) - 255 - (11 * spec.MaxPods) - 100;
        return new InventoryResources((spec.VCpus * 1000) - reservedCpu, memory, spec.MaxPods);
    }

    /// <summary>One workload per shape that has pods, with the rules its pods were placed by and the PDB a careful team gives it.</summary>
    private static List<InventoryWorkload> Workloads(List<InventoryPod> pods, List<(InventoryNode Node, int PodCount)> nodes)
    {
        var zones = nodes.ToDictionary(n => n.Node.Name, n => n.Node.AvailabilityZone, StringComparer.Ordinal);
        return [.. new[] { Web, Api, Checkout, Worker, Report, Cache, Ledger }
            .Select(shape => (shape, replicas: pods.Where(p => p.Workload == shape.Name).ToList()))
            .Where(w => w.replicas.Count > 0)
            .Select(w => new InventoryWorkload(w.shape.Namespace, w.shape.Name, w.shape.Kind, w.replicas.Count,
                OneReplicaPerNode: w.shape == Cache,
                ZoneMaxSkew: w.shape == Web ? Math.Max(1, Skew(w.replicas, zones)) : null,
                PdbMinAvailable: w.shape == Web ? Math.Max(1, w.replicas.Count - 1) : null,
                PdbMaxUnavailable: w.shape == Api || w.shape == Cache ? 1 : null,
                Usage: w.shape.Usage))];
    }

    /// <summary>The spread the scheduler would have enforced: the demo reports the skew its pods actually have.</summary>
    private static int Skew(List<InventoryPod> replicas, Dictionary<string, string> zones)
    {
        var perZone = replicas.GroupBy(p => zones[p.Node!]).Select(g => g.Count()).ToList();
        return perZone.Max() - (perZone.Count < zones.Values.Distinct().Count() ? 0 : perZone.Min());
    }

    /// <summary>Per-pod percentiles over the default 14-day window, as metrics-server gives them.</summary>
    private static WorkloadUsage Usage(int cpuP50, int cpuP95, int cpuP99, int memoryP50, int memoryP95, int memoryP99) =>
        new(14, "metrics-server", cpuP50, cpuP95, cpuP99, memoryP50, memoryP95, memoryP99);

    private static string PodName(Random rng, Shape shape) =>
        shape.Kind == "Job" ? $"{shape.Name}-{Suffix(rng, 5)}" : $"{shape.Name}-{Suffix(rng, 9)}-{Suffix(rng, 5)}";

    private static string Suffix(Random rng, int length) => new([.. Enumerable.Range(0, length).Select(_ => "bcdfghjklmnpqrstvwxz2456789"[rng.Next(27)])]);

    /// <param name="Usage">Null for batch pods (too short-lived for percentiles).</param>
    private sealed record Shape(string Namespace, string Name, string Kind, int Cpu, int Memory, WorkloadUsage? Usage);
}

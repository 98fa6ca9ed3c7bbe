using SpotOptimizer.Cloud;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.Grains.Execution;
using SpotOptimizer.Grains.Interfaces.Clusters;
using SpotOptimizer.Grains.Interfaces.Governance;
using SpotOptimizer.Grains.Market;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Grains.Tests.Optimization;

/// <summary>
/// One cluster, "shop", whose simulated nodes and agent inventory match instance by instance. With the default
/// template m5 of 2-4 vCPU, binpack 50 % and DaemonSets of 100m / 256 MiB, the answer is worked out by hand:
/// <list type="bullet">
/// <item><c>ip-ours</c>: an empty Spot m5.large we launched → deleted (drain, terminate).</item>
/// <item><c>ip-small</c>: m5.large of node group "general", one 500m pod → its pod fits beside the others, so it goes and the group shrinks.</item>
/// <item><c>ip-big</c>: m5.2xlarge of "general", 2 × 1500m: no other node has 3,000m free under the ceiling and the template's
/// largest node (m5.xlarge: 1,860m usable) cannot take them → <c>no_fit</c>. Both together cannot go either, so no multi-node action.
/// With the group's default minimum of 1 (2 nodes), only one of the two may go at all: ip-small, the less loaded, and
/// ip-big is pinned <c>nodegroup_min_size</c> before the packer looks at it.</item>
/// <item><c>ip-pinned</c>: an empty m5.large annotated do-not-disrupt → never touched, skipped <c>do_not_disrupt</c>.</item>
/// </list>
/// </summary>
internal static class ConsolidationWorld
{
    public const string ClusterName = "shop";
    public const string Region = "us-east-1";
    public const string Ours = "i-0c0a000000000003";
    public const string Small = "i-0c0a000000000001";
    public const string Big = "i-0c0a000000000002";
    public const string Pinned = "i-0c0a000000000004";
    private const string Asg = "eks-general-0c0a";

    /// <param name="nodegroupMinSize">Node group "general"'s minimum size (it runs 2 nodes).</param>
    public static SimulatedWorld Build(DateTimeOffset now, int nodegroupMinSize = 1)
    {
        var cluster = new SimulatedCluster(
            new EksCluster(ClusterName, $"arn:aws:eks:{Region}:{SimulatedWorld.DemoAccountId}:cluster/{ClusterName}", "1.31", "https://shop.gr7.us-east-1.eks.amazonaws.com",
                "ACTIVE", Region, now.AddDays(-100)),
            [new EksNodegroup("general", ClusterName, "ACTIVE", ["m5.large", "m5.2xlarge"], CapacityType.OnDemand, new NodegroupScaling(nodegroupMinSize, 4, 2), [Asg])]);
        var group = new Dictionary<string, string>
        {
            [Ec2Instance.ClusterNameTag] = ClusterName, [Ec2Instance.NodegroupNameTag] = "general", [Ec2Instance.AutoScalingGroupTag] = Asg,
        };
        var customer = new Dictionary<string, string> { [Ec2Instance.ClusterNameTag] = ClusterName };
        var region = new SimulatedRegion(Region, ["us-east-1a", "us-east-1b", "us-east-1c"], [cluster],
        [
            Node(Small, "m5.large", "us-east-1a", InstanceLifecycle.OnDemand, group, now, 1),
            Node(Big, "m5.2xlarge", "us-east-1b", InstanceLifecycle.OnDemand, group, now, 2),
            Node(Ours, "m5.large", "us-east-1a", InstanceLifecycle.Spot, OptimizerNodes.Tags(ClusterName, "on_demand_to_spot"), now, 0),
            Node(Pinned, "m5.large", "us-east-1c", InstanceLifecycle.OnDemand, customer, now, 0),
        ]);
        return new SimulatedWorld(7, [new SimulatedAccount(SimulatedWorld.DemoAccountId, [region], [])]);
    }

    /// <param name="batch">The batch workload's pods on ip-big (2 × 1500m unless given).</param>
    public static AgentInventory Inventory(DateTimeOffset now, IReadOnlyList<InventoryPod>? batch = null) => new(
        [
            InventoryNode("ip-small", Small, "m5.large", "us-east-1a", "on_demand", "general", now),
            InventoryNode("ip-big", Big, "m5.2xlarge", "us-east-1b", "on_demand", "general", now),
            InventoryNode("ip-ours", Ours, "m5.large", "us-east-1a", "spot", null, now),
            InventoryNode("ip-pinned", Pinned, "m5.large", "us-east-1c", "on_demand", null, now) with { DoNotDisrupt = true },
        ],
        [
            new InventoryPod("web-0", "default", "web", "Deployment", "ip-small", 500, 1024, null, null, 0, false),
            .. batch ?? [BatchPod(0, 1500), BatchPod(1, 1500)],
        ],
        [new InventoryWorkload("default", "web", "Deployment", 1), new InventoryWorkload("default", "batch", "StatefulSet", 2, PdbMaxUnavailable: 1)],
        new InventoryResources(100, 256, 2));

    /// <summary>Links the account, restricts new nodes to m5 of 2-4 vCPU, connects the agent and reports the inventory through the grain.</summary>
    /// <param name="inventory">What the agent reports instead of <see cref="Inventory"/>.</param>
    public static async Task<(string Organization, string Cluster)> ConnectAsync(TestSilo silo, DateTimeOffset now, bool dryRun, IReadOnlyList<InventoryPod>? batch = null,
        AgentInventory? inventory = null)
    {
        var (organizationId, clusterId, _) = await ConnectWithTokenAsync(silo, now, dryRun, batch, inventory);
        return (organizationId, clusterId);
    }

    /// <summary>As <see cref="ConnectAsync"/>, with the agent's token for the reports that follow.</summary>
    public static async Task<(string Organization, string Cluster, string Token)> ConnectWithTokenAsync(TestSilo silo, DateTimeOffset now, bool dryRun,
        IReadOnlyList<InventoryPod>? batch = null, AgentInventory? inventory = null)
    {
        var demo = await DemoCluster.LinkAsync(silo, connect: false);
        var (organizationId, clusterId) = (demo.OrganizationId, demo.Cluster.ClusterId);
        var cluster = silo.Grains.GetGrain<IClusterGrain>(clusterId);
        var token = (await cluster.Connect(organizationId, "user:test"))!.Token;
        var template = await silo.Grains.GetGrain<ITemplateCatalogGrain>(organizationId)
            .Create(new NodeTemplateDraft("small m5", ["m5"], ["x86_64"], TemplateStrategies.Mixed, 2, 4), "user:test");
        var policy = await cluster.UpdatePolicy(organizationId, "user:test", new PolicyPatch(TemplateId: template.Id, DryRun: dryRun));
        Assert.Null(policy!.Error);
        // The node we launched, as the cluster remembers it from an earlier job.
        await cluster.CompleteOptimization(new OptimizationFinished("earlier-job", new Dictionary<string, DateTimeOffset> { [Ours] = now.AddHours(-1) }));
        var ack = await cluster.ReportInventory(new AgentInventoryReport(AgentTokens.HashOf(token), "test/1", inventory ?? Inventory(now, batch)));
        Assert.NotNull(ack);
        return (organizationId, clusterId, token);
    }

    /// <summary>The agent's next report: <paramref name="inventory"/> with a new node that has joined, Ready.</summary>
    public static AgentInventory WithJoined(AgentInventory inventory, string name, string instanceId, string type, string zone, DateTimeOffset now) =>
        inventory with { Nodes = [.. inventory.Nodes, InventoryNode(name, instanceId, type, zone, "on_demand", "general", now)] };

    public static InventoryPod BatchPod(int index, int cpu) => new($"batch-{index}", "default", "batch", "StatefulSet", "ip-big", cpu, 2048, null, null, 0, false);

    /// <summary>Allocatable as EKS reserves it on the type (the market feed's own computation).</summary>
    private static InventoryNode InventoryNode(string name, string id, string type, string zone, string capacity, string? nodegroup, DateTimeOffset now)
    {
        var info = SimulatedMarketFeed.ToTypeInfo(InstanceCatalog.Find(type)!);
        return new InventoryNode(name, id, type, zone, capacity, nodegroup, null,
            new InventoryResources(info.AllocatableCpuMillicores, info.AllocatableMemoryMiB, info.MaxPods), [], [], now.AddDays(-3));
    }

    private static SimulatedNode Node(string id, string type, string zone, InstanceLifecycle lifecycle, IReadOnlyDictionary<string, string> tags, DateTimeOffset now, int pods) =>
        new(new Ec2Instance(id, type, zone, lifecycle, InstanceState.Running, now.AddDays(-3), $"ip-10-0-0-{id[^1]}.ec2.internal", tags), pods);
}

namespace SpotOptimizer.Cloud.Simulation;

/// <summary>Generates realistic demo inventory from a seed: EKS clusters, managed node groups and their nodes.</summary>
internal static class DemoWorld
{
    private static readonly string[] ClusterNames = ["prod-web", "prod-api", "staging", "data-pipeline", "ml-batch", "analytics"];
    private static readonly string[] Versions = ["1.29", "1.30", "1.31", "1.32"];

    private static readonly NodegroupTemplate[] Templates =
    [
        new("system", CapacityType.OnDemand, ["m5.large"], CustomTemplate: false),
        new("general", CapacityType.OnDemand, ["m5.xlarge"], CustomTemplate: false),
        new("compute", CapacityType.OnDemand, ["c5.xlarge"], CustomTemplate: true),
        new("memory", CapacityType.OnDemand, ["r5.large"], CustomTemplate: true),
        new("arm", CapacityType.OnDemand, ["m6g.large"], CustomTemplate: false),
        new("burst", CapacityType.OnDemand, ["t3.large"], CustomTemplate: true),
        new("spot-general", CapacityType.Spot, ["m5.large", "m5.xlarge", "c5.xlarge"], CustomTemplate: true),
        new("spot-compute", CapacityType.Spot, ["c5.large", "c5.xlarge", "c5.2xlarge"], CustomTemplate: false),
    ];

    public static SimulatedWorld Build(int seed, DateTimeOffset asOf)
    {
        var rng = new Random(seed);
        const string region = SimulatedWorld.DemoRegion;
        var zones = new[] { "us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d" };
        var clusters = new List<SimulatedCluster>();
        var instances = new List<SimulatedNode>();
        foreach (var name in ClusterNames.OrderBy(_ => rng.Next()).Take(rng.Next(2, 4)))
        {
            var (cluster, nodes) = Cluster(rng, SimulatedWorld.DemoAccountId, region, zones, name, asOf, withSpot: clusters.Count == 0 ? true : null);
            clusters.Add(cluster);
            instances.AddRange(nodes);
        }

        instances.Add(Standalone(rng, region, zones, "bastion", "t3.medium", InstanceState.Running, asOf));
        if (rng.Next(2) == 0) instances.Add(Standalone(rng, region, zones, "legacy-reporting", "m5.large", InstanceState.Stopped, asOf));

        var regionState = new SimulatedRegion(region, zones, clusters, instances);
        return new SimulatedWorld(seed, [new SimulatedAccount(SimulatedWorld.DemoAccountId, [regionState], [])]);
    }

    /// <summary>
    /// A cluster of 2–3 node groups with 2–5 nodes each, spread over the zones, some on a custom launch template and
    /// some on the one EKS made; one of them Spot when
    /// <paramref name="withSpot"/> says so, or 60% of the time when it is null.
    /// </summary>
    public static (SimulatedCluster Cluster, IReadOnlyList<SimulatedNode> Nodes) Cluster(
        Random rng, string accountId, string region, IReadOnlyList<string> zones, string name, DateTimeOffset asOf, bool? withSpot = null)
    {
        var cluster = new EksCluster(
            name,
            $"arn:aws:eks:{region}:{accountId}:cluster/{name}",
            Versions[rng.Next(Versions.Length)],
            $"https://{SimulatedIds.EndpointHost(rng)}.gr7.{region}.eks.amazonaws.com",
            "ACTIVE",
            region,
            asOf - TimeSpan.FromDays(rng.Next(100, 700)));
        var picked = Templates.Where(t => t.CapacityType == CapacityType.OnDemand).OrderBy(_ => rng.Next()).Take(rng.Next(2, 4)).ToList();
        if (withSpot ?? rng.NextDouble() < 0.6) picked[^1] = Templates.Where(t => t.CapacityType == CapacityType.Spot).OrderBy(_ => rng.Next()).First();

        var nodegroups = new List<EksNodegroup>();
        var nodes = new List<SimulatedNode>();
        foreach (var template in picked)
        {
            var desired = rng.Next(2, 6);
            var asg = $"eks-{template.Name}-{SimulatedIds.Guid(rng)}";
            nodegroups.Add(new EksNodegroup(template.Name, name, "ACTIVE", template.InstanceTypes, template.CapacityType,
                new NodegroupScaling(1, desired + rng.Next(1, 4), desired), [asg])
            {
                // The others were created without one: EKS made their template, which only their Auto Scaling group names.
                LaunchTemplate = template.CustomTemplate ? SimulatedNetwork.CustomLaunchTemplate(accountId, name, template.Name) : null,
            });
            for (var i = 0; i < desired; i++)
            {
                var type = template.InstanceTypes[rng.Next(template.InstanceTypes.Count)];
                var lifecycle = template.CapacityType == CapacityType.Spot ? InstanceLifecycle.Spot : InstanceLifecycle.OnDemand;
                var tags = NodeTags(name, template.Name, asg);
                var launched = asOf - TimeSpan.FromHours(rng.Next(1, 24 * 60));
                nodes.Add(Node(rng, region, zones[(i + rng.Next(zones.Count)) % zones.Count], type, lifecycle, launched, tags));
            }
        }

        return (new SimulatedCluster(cluster, nodegroups), nodes);
    }

    public static Dictionary<string, string> NodeTags(string cluster, string nodegroup, string asg) => new()
    {
        ["Name"] = $"{cluster}-{nodegroup}-Node",
        [Ec2Instance.ClusterNameTag] = cluster,
        [Ec2Instance.NodegroupNameTag] = nodegroup,
        [Ec2Instance.AutoScalingGroupTag] = asg,
        [$"kubernetes.io/cluster/{cluster}"] = "owned",
        ["k8s.io/cluster-autoscaler/enabled"] = "true",
    };

    /// <summary>The root device of every simulated instance, as on Amazon Linux AMIs.</summary>
    public const string RootDevice = "/dev/xvda";

    /// <summary>A running node with a plausible pod count for its type.</summary>
    public static SimulatedNode Node(Random rng, string region, string zone, string type, InstanceLifecycle lifecycle, DateTimeOffset launched,
        IReadOnlyDictionary<string, string> tags, InstanceState state = InstanceState.Running)
    {
        var (_, dns) = SimulatedIds.PrivateAddress(rng, region);
        var maxPods = InstanceCatalog.Find(type)?.MaxPods ?? 29;
        var pods = state == InstanceState.Running ? rng.Next(Math.Max(2, maxPods / 5), Math.Max(3, maxPods * 9 / 10)) : 0;
        return new SimulatedNode(new Ec2Instance(SimulatedIds.InstanceId(rng), type, zone, lifecycle, state, launched, dns, tags) { RootDeviceName = RootDevice }, pods);
    }

    private static SimulatedNode Standalone(Random rng, string region, IReadOnlyList<string> zones, string name, string type, InstanceState state, DateTimeOffset asOf) =>
        Node(rng, region, zones[rng.Next(zones.Count)], type, InstanceLifecycle.OnDemand, asOf - TimeSpan.FromDays(rng.Next(30, 400)),
            new Dictionary<string, string> { ["Name"] = name }, state) with { PodCount = 0 };

    /// <param name="CustomTemplate">Created with the customer's own launch template (named by DescribeNodegroup), else with the one EKS makes.</param>
    private sealed record NodegroupTemplate(string Name, CapacityType CapacityType, IReadOnlyList<string> InstanceTypes, bool CustomTemplate);
}

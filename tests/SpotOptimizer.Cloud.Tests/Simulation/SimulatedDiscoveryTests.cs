using System.Text.Json;
using SpotOptimizer.Cloud.Simulation;

namespace SpotOptimizer.Cloud.Tests.Simulation;

public sealed class SimulatedDiscoveryTests
{
    [Fact]
    public async Task Demo_SameSeed_SameInventory()
    {
        var first = await (await SimulatedTenant.StartAsync(seed: 42)).ScanAsync();
        var second = await (await SimulatedTenant.StartAsync(seed: 42)).ScanAsync();

        Assert.Equal(JsonSerializer.Serialize(first), JsonSerializer.Serialize(second));
    }

    [Fact]
    public async Task Demo_DifferentSeed_DifferentInventory()
    {
        var first = await (await SimulatedTenant.StartAsync(seed: 42)).ScanAsync();
        var second = await (await SimulatedTenant.StartAsync(seed: 43)).ScanAsync();

        Assert.NotEqual(
            first.Regions[0].Instances.Select(i => i.InstanceId).Order(StringComparer.Ordinal),
            second.Regions[0].Instances.Select(i => i.InstanceId).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(17)]
    [InlineData(2026)]
    public async Task Demo_AnySeed_RealisticShape(int seed)
    {
        var region = (await (await SimulatedTenant.StartAsync(seed)).ScanAsync()).Regions.Single();

        Assert.InRange(region.Clusters.Count, 2, 3);
        Assert.All(region.Clusters, c => Assert.InRange(c.Nodegroups.Count, 2, 3));
        var nodes = region.Clusters.SelectMany(c => c.Nodes).ToList();
        Assert.Contains(nodes, n => n.Lifecycle == InstanceLifecycle.OnDemand);
        Assert.Contains(nodes, n => n.Lifecycle == InstanceLifecycle.Spot);
        Assert.True(nodes.Count(n => n.Lifecycle == InstanceLifecycle.OnDemand) > nodes.Count / 2, "most demo nodes are On-Demand: the product's opportunity");
        Assert.Contains(region.Instances, i => i.ClusterName is null);
        Assert.All(region.Instances, i => Assert.Matches("^i-0[0-9a-f]{16}$", i.InstanceId));
        Assert.All(region.Instances, i => Assert.NotNull(InstanceCatalog.Find(i.InstanceType)));
        Assert.All(region.Clusters, c => Assert.Equal($"arn:aws:eks:us-east-1:111122223333:cluster/{c.Cluster.Name}", c.Cluster.Arn));
    }

    [Fact]
    public async Task Scan_DemoWorld_ClustersNodegroupsAndInstancesAgree()
    {
        var region = (await (await SimulatedTenant.StartAsync()).ScanAsync()).Regions.Single();
        var clusters = region.Clusters.ToDictionary(c => c.Cluster.Name);

        foreach (var node in region.Instances.Where(i => i.Tags.ContainsKey(Ec2Instance.ClusterNameTag)))
        {
            Assert.True(clusters.TryGetValue(node.ClusterName!, out var cluster), $"{node.InstanceId} names unlisted cluster {node.ClusterName}");
            var nodegroup = Assert.Single(cluster.Nodegroups, n => n.Name == node.NodegroupName);
            Assert.Contains(node.InstanceType, nodegroup.InstanceTypes);
            Assert.Contains(node.AutoScalingGroupName, nodegroup.AutoScalingGroupNames);
            Assert.Equal(nodegroup.CapacityType == CapacityType.Spot ? InstanceLifecycle.Spot : InstanceLifecycle.OnDemand, node.Lifecycle);
            Assert.StartsWith("us-east-1", node.AvailabilityZone, StringComparison.Ordinal);
            Assert.EndsWith(".ec2.internal", node.PrivateDnsName, StringComparison.Ordinal);
        }

        foreach (var cluster in region.Clusters)
        {
            Assert.Equal("ACTIVE", cluster.Cluster.Status);
            foreach (var nodegroup in cluster.Nodegroups)
                Assert.Equal(nodegroup.Scaling.DesiredSize, cluster.Nodes.Count(n => n.NodegroupName == nodegroup.Name));
        }
    }

    [Fact]
    public async Task Scan_RegionWithoutResources_ReturnsEmpty()
    {
        var tenant = await SimulatedTenant.StartAsync();

        var inventory = await AccountInventory.ScanAsync(tenant.Cloud, tenant.Session, ["eu-west-1"]);

        Assert.Empty(inventory.Regions.Single().Clusters);
        Assert.Empty(inventory.Regions.Single().Instances);
    }

    [Fact]
    public async Task DescribeCluster_UnknownName_ThrowsNotFound()
    {
        var tenant = await SimulatedTenant.StartAsync();

        var error = await Assert.ThrowsAsync<CloudException>(() => tenant.Cloud.Eks.DescribeClusterAsync(tenant.Session, SimulatedTenant.Region, "nope"));

        Assert.Equal(CloudErrorCodes.NotFound, error.Code);
    }

    [Fact]
    public async Task Scan_AfterWorldChanges_SeesThemNextTime()
    {
        var tenant = await SimulatedTenant.StartAsync();
        var before = (await tenant.ScanAsync()).Regions.Single();
        var removedCluster = before.Clusters[0].Cluster.Name;
        var removedInstance = before.Instances.First(i => i.ClusterName is null).InstanceId;

        var added = tenant.Cloud.AddDemoCluster(tenant.AccountId, SimulatedTenant.Region, "new-team");
        Assert.True(tenant.Cloud.RemoveCluster(tenant.AccountId, SimulatedTenant.Region, removedCluster));
        Assert.True(tenant.Cloud.RemoveInstance(tenant.AccountId, SimulatedTenant.Region, removedInstance));
        var after = (await tenant.ScanAsync()).Regions.Single();

        Assert.Contains(after.Clusters, c => c.Cluster.Name == "new-team" && c.Nodegroups.Count == added.Nodegroups.Count && c.Nodes.Count > 0);
        Assert.DoesNotContain(after.Clusters, c => c.Cluster.Name == removedCluster);
        Assert.DoesNotContain(after.Instances, i => i.ClusterName == removedCluster || i.InstanceId == removedInstance);
        Assert.Equal(before.Clusters.Count, after.Clusters.Count);
    }

    [Fact]
    public async Task DescribeInstances_ConcurrentWithWorldChanges_LosesNothing()
    {
        var tenant = await SimulatedTenant.StartAsync();
        var initial = (await tenant.Cloud.Ec2.DescribeInstancesAsync(tenant.Session, SimulatedTenant.Region)).Count;
        var template = tenant.Cloud.World.FindAccount(tenant.AccountId)!.FindRegion(SimulatedTenant.Region)!.Instances[0];
        tenant.Cloud.ClearCalls();

        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < 50; i++)
                tenant.Cloud.AddInstance(tenant.AccountId, SimulatedTenant.Region, template with { Instance = template.Instance with { InstanceId = $"i-0{w:x2}{i:x14}" } });
        }));
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 50; i++)
            {
                var seen = await tenant.Cloud.Ec2.DescribeInstancesAsync(tenant.Session, SimulatedTenant.Region);
                Assert.Equal(seen.Count, seen.Select(s => s.InstanceId).Distinct().Count());
            }
        }));
        await Task.WhenAll(writers.Concat(readers));

        Assert.Equal(initial + 200, (await tenant.Cloud.Ec2.DescribeInstancesAsync(tenant.Session, SimulatedTenant.Region)).Count);
        Assert.Equal(201, tenant.Cloud.Calls.Count);
    }
}

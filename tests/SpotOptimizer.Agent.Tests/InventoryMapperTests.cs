using SpotOptimizer.Agent.Inventory;

namespace SpotOptimizer.Agent.Tests;

/// <summary>Recorded Kubernetes API responses → the inventory body, field by field, with answers worked out by hand.</summary>
public sealed class InventoryMapperTests
{
    private readonly InventoryReport _report = InventoryMapper.Map(Fixtures.Cluster(), "test/1");

    [Fact]
    public void Nodes_KarpenterSpotAndManagedOnDemand_ReadFromLabelsProviderIdAndStatus()
    {
        // The Fargate node has no aws:// provider id: the platform cannot act on it.
        Assert.Equal(["ip-10-0-12-34.ec2.internal", "ip-10-0-45-6.ec2.internal"], _report.Nodes.Select(n => n.Name));
        var spot = _report.Nodes[0];
        Assert.Equal(("i-0a1b2c3d4e5f60718", "m5.xlarge", "us-east-1a", "spot", null, "general"),
            (spot.InstanceId, spot.InstanceType, spot.AvailabilityZone, spot.CapacityType, spot.Nodegroup, spot.NodePool));
        // 14880156Ki = 14531.4 MiB, rounded down.
        Assert.Equal(new ReportedResources(3920, 14531, 58), spot.Allocatable);
        Assert.Equal(["dedicated=batch:NoSchedule"], spot.Taints);
        Assert.Empty(spot.Conditions);
        Assert.Equal(DateTimeOffset.Parse("2026-11-30T08:14:02Z"), spot.CreatedAt);
        Assert.False(spot.DoNotDisrupt);

        var onDemand = _report.Nodes[1];
        Assert.Equal(("on_demand", "system-od", (string?)null), (onDemand.CapacityType, onDemand.Nodegroup, onDemand.NodePool));
        Assert.Equal(new ReportedResources(1930, 7087, 29), onDemand.Allocatable);
        Assert.Equal(["node.kubernetes.io/unreachable:NoSchedule"], onDemand.Taints);
        Assert.Equal(["DiskPressure", "NotReady"], onDemand.Conditions);
        Assert.True(onDemand.DoNotDisrupt);
    }

    [Fact]
    public void Pods_DaemonSetMirrorAndFinishedLeftOut_RequestsByTheSchedulersRule()
    {
        Assert.Equal(["data/ledger-0", "shop/web-7c9d8b6f4-p2m6r", "shop/web-7c9d8b6f4-x8k2p"], _report.Pods.Select(p => $"{p.Namespace}/{p.Name}"));

        var web = _report.Pods[2];
        Assert.Equal(new ReportedPod("web-7c9d8b6f4-x8k2p", "shop", "web", "Deployment", "ip-10-0-12-34.ec2.internal", 300, 576, 700, 640, 0, false, null, null), web);
        Assert.Null(_report.Pods[1].Node);

        // Steady: 200m + the 100m sidecar; the 1-core migration runs first, alone: the pod needs 1000m. Memory: 512 + 64 > 256.
        var ledger = _report.Pods[0];
        Assert.Equal(("StatefulSet", "ledger", 1000, 576, 1000, 1088), (ledger.OwnerKind, ledger.Workload, ledger.CpuRequestMillicores, ledger.MemoryRequestMib, ledger.CpuLimitMillicores, ledger.MemoryLimitMib));
        Assert.Equal((100000, true, "us-east-1b", "on_demand"), (ledger.Priority, ledger.DoNotDisrupt, ledger.ZoneAffinity, ledger.CapacityTypeAffinity));
    }

    [Fact]
    public void Workloads_DeploymentAndStatefulSet_RulesAndBudgetsResolved()
    {
        // web: 60 % of 4 replicas = 2.4, rounded up as the disruption controller does; the ScheduleAnyway spread does not count.
        Assert.Equal(
            [new ReportedWorkload("data", "ledger", "StatefulSet", 1, false, null, null, 1), new ReportedWorkload("shop", "web", "Deployment", 4, true, 1, 3, null)],
            _report.Workloads);
    }

    [Fact]
    public void DaemonSetOverhead_AwsNodeAndKubeProxy_TheirSumOnTheBusiestNode()
    {
        Assert.Equal(new ReportedResources(150, 64, 2), _report.DaemonsetOverhead);
    }

    [Fact]
    public void Map_SameSnapshot_SameReport()
    {
        var again = InventoryMapper.Map(Fixtures.Cluster(), "test/1");
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(_report), System.Text.Json.JsonSerializer.Serialize(again));
    }

    [Theory]
    [InlineData(0, 0.5, 30.0)]
    [InlineData(0, 0.0, 27.0)]
    [InlineData(0, 1.0, 33.0)]
    [InlineData(1, 0.5, 60.0)]
    [InlineData(3, 0.5, 240.0)]
    [InlineData(10, 0.5, 300.0)]
    public void NextDelay_FailuresAndJitter_DoublesUpToTheCap(int failures, double random, double expectedSeconds)
    {
        var delay = Reporting.ReportSchedule.NextDelay(TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5), failures, random);
        Assert.Equal(expectedSeconds, delay.TotalSeconds, precision: 6);
    }
}

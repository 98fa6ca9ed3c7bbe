using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SpotOptimizer.Agent.Inventory;
using SpotOptimizer.Agent.Reporting;
using SpotOptimizer.Api.Tests;
using SpotOptimizer.Api.Tests.Onboarding;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.Grains.Interfaces.Clusters;
using SpotOptimizer.SimulatedKubernetes;

namespace SpotOptimizer.Agent.Tests;

/// <summary>
/// The real agent between a simulated cluster's Kubernetes API (on a loopback port) and the real platform: a connected
/// cluster's counts, inventory version and recommendations come from what the agent read and sent.
/// </summary>
public abstract class AgentEndToEndTests(bool postgres)
{
    private const int Seed = 12;

    [SkippableFact]
    public async Task Agent_TwoTicksOnASimulatedCluster_PlatformShowsWhatItRead()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres);
        var tenant = await TenantClient.SignUpAsync(app, $"agent-e2e-{Guid.NewGuid():N}@example.com");
        const string awsAccount = "310987654321";
        var accountId = await Journey.LinkAccountAsync(tenant, awsAccount);
        var (clusterId, token, _) = await Journey.ConnectFirstClusterAsync(tenant, accountId);
        var cluster = await tenant.GetJsonAsync($"/api/clusters/{clusterId}");
        var (name, region) = (cluster.GetProperty("name").GetString()!, cluster.GetProperty("region").GetString()!);

        var cloud = app.Services.GetRequiredService<SimulatedCloud>();
        AgentInventory Generated() => SimulatedWorkloads.For(cloud.World.FindAccount(awsAccount)!.FindRegion(region)!.NodesOf(name), Seed);
        var expected = Generated();
        Assert.NotEmpty(expected.Nodes);
        await using var kubernetes = await SimulatedClusterHost.StartAsync(() => KubernetesObjects.From(Generated()));
        using var client = kubernetes.Client();
        var reader = new ClusterReader(client);
        using var reporter = new InventoryReporter(reader, new PlatformClient(app.CreateClient(), token),
            Options.Create(new AgentOptions()), TimeProvider.System, NullLogger<InventoryReporter>.Instance);

        var first = await reporter.ReportOnceAsync(CancellationToken.None);
        var second = await reporter.ReportOnceAsync(CancellationToken.None);

        Assert.Equal((clusterId, 1, 1), (first.ClusterId, first.InventoryVersion, second.InventoryVersion));
        var view = await tenant.GetJsonAsync($"/api/clusters/{clusterId}");
        Assert.Equal(
            (expected.Nodes.Count, expected.Nodes.Count(n => n.CapacityType == "spot"), "green"),
            (view.GetProperty("node_count").GetInt32(), view.GetProperty("spot_node_count").GetInt32(), view.GetProperty("agent_status").GetString()));
        var recommendations = await tenant.GetJsonAsync($"/api/clusters/{clusterId}/recommendations");
        Assert.Equal(1, recommendations.GetProperty("inventory_version").GetInt32());
        Assert.NotEqual("no_inventory", recommendations.GetProperty("status").GetString());

        // What the agent read back through the Kubernetes API is what the simulator generated, usage aside.
        var read = InventoryMapper.Map(await reader.ReadAsync(CancellationToken.None), "test/1");
        Assert.Equal(Lines(expected).Order(StringComparer.Ordinal), Lines(read).Order(StringComparer.Ordinal));
    }

    private static List<string> Lines(AgentInventory inventory) =>
    [
        .. inventory.Nodes.Select(n => Line("node", n.Name, n.InstanceId, n.InstanceType, n.AvailabilityZone, n.CapacityType, n.Nodegroup, n.NodePool,
            n.Allocatable.CpuMillicores, n.Allocatable.MemoryMiB, n.Allocatable.Pods, string.Join(',', n.Taints), string.Join(',', n.Conditions), n.DoNotDisrupt)),
        .. inventory.Pods.Select(p => Line("pod", p.Namespace, p.Name, p.Workload, p.OwnerKind, p.Node, p.CpuRequestMillicores, p.MemoryRequestMiB,
            p.CpuLimitMillicores, p.MemoryLimitMiB, p.Priority, p.DoNotDisrupt, p.ZoneAffinity, p.CapacityTypeAffinity)),
        .. inventory.Workloads.Select(w => Line("workload", w.Namespace, w.Kind, w.Name, w.Replicas, w.OneReplicaPerNode, w.ZoneMaxSkew, w.PdbMinAvailable, w.PdbMaxUnavailable)),
        Line("daemonsets", inventory.DaemonSetOverhead.CpuMillicores, inventory.DaemonSetOverhead.MemoryMiB, inventory.DaemonSetOverhead.Pods),
    ];

    private static List<string> Lines(InventoryReport report) =>
    [
        .. report.Nodes.Select(n => Line("node", n.Name, n.InstanceId, n.InstanceType, n.AvailabilityZone, n.CapacityType, n.Nodegroup, n.NodePool,
            n.Allocatable.CpuMillicores, n.Allocatable.MemoryMib, n.Allocatable.Pods, string.Join(',', n.Taints), string.Join(',', n.Conditions), n.DoNotDisrupt)),
        .. report.Pods.Select(p => Line("pod", p.Namespace, p.Name, p.Workload, p.OwnerKind, p.Node, p.CpuRequestMillicores, p.MemoryRequestMib,
            p.CpuLimitMillicores, p.MemoryLimitMib, p.Priority, p.DoNotDisrupt, p.ZoneAffinity, p.CapacityTypeAffinity)),
        .. report.Workloads.Select(w => Line("workload", w.Namespace, w.Kind, w.Name, w.Replicas, w.OneReplicaPerNode, w.ZoneMaxSkew, w.PdbMinAvailable, w.PdbMaxUnavailable)),
        Line("daemonsets", report.DaemonsetOverhead.CpuMillicores, report.DaemonsetOverhead.MemoryMib, report.DaemonsetOverhead.Pods),
    ];

    /// <summary>Sorted lines, so the comparison does not depend on list order (the agent sorts; the generator does not).</summary>
    private static string Line(params object?[] fields) => JsonSerializer.Serialize(fields);
}

public sealed class SqliteAgentEndToEndTests() : AgentEndToEndTests(postgres: false);

public sealed class PostgresAgentEndToEndTests() : AgentEndToEndTests(postgres: true);

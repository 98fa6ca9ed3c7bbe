using k8s;
using k8s.Models;
using SpotOptimizer.Agent.Commands;
using SpotOptimizer.Agent.Reporting;
using SpotOptimizer.Api.Tests;
using SpotOptimizer.Api.Tests.Onboarding;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Agent.Tests.Commands;

/// <summary>
/// The platform's own mount of a simulated cluster's API (<c>/api/simulator/clusters/{id}/kubernetes</c>, reached with
/// the kubeconfig it hands out): the agent's cordon and drain stick across clients and requests, as they would on a real
/// cluster, because the platform keeps one write overlay per cluster.
/// </summary>
public abstract class SimulatorKubernetesWritesTests(bool postgres)
{
    [SkippableFact]
    public async Task CordonAndDrainThroughThePlatformsMount_StickAcrossClients()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres);
        app.UseKestrel(0);
        app.StartServer();
        var tenant = await TenantClient.SignUpAsync(app, $"kube-writes-{Guid.NewGuid():N}@example.com");
        var (clusterId, _, _) = await Journey.ConnectFirstClusterAsync(tenant, await Journey.LinkAccountAsync(tenant, "510987654321"));
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Root);
        var kubeconfig = temp.Child("kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, await tenant.Http.GetStringAsync($"/api/simulator/clusters/{clusterId}/kubeconfig"));
        using var agent = new Kubernetes(ClusterReader.Configuration(kubeconfig));
        var pods = (await agent.CoreV1.ListPodForAllNamespacesAsync()).Items;
        bool Workload(V1Pod p) => p.Metadata.OwnerReferences?.Any(o => o.Kind == "DaemonSet") != true;
        // A node with workload pods and nothing that must not be disrupted (the generated shop pins a do-not-disrupt ledger to an on-demand node).
        var node = (await agent.CoreV1.ListNodeAsync()).Items
            .Where(n => !NodeDrain.Protected(n.Metadata))
            .Select(n => n.Metadata.Name)
            .First(n => pods.Any(p => p.Spec.NodeName == n && Workload(p)) && !pods.Any(p => p.Spec.NodeName == n && NodeDrain.Protected(p.Metadata)));
        var nodes = new NodeCommands(agent);
        var drain = new NodeDrain(agent, nodes, Microsoft.Extensions.Options.Options.Create(new AgentOptions { EvictionRetry = TimeSpan.FromMilliseconds(50), DrainTimeout = TimeSpan.FromSeconds(20) }), TimeProvider.System);
        var command = new AgentCommand("cmd_mount", CommandKinds.Drain, node);

        var result = await drain.DrainAsync(command, CancellationToken.None);

        using var other = new Kubernetes(ClusterReader.Configuration(kubeconfig));
        var read = await other.CoreV1.ReadNodeAsync(node);
        var after = (await other.CoreV1.ListPodForAllNamespacesAsync()).Items.Where(p => p.Spec.NodeName == node).ToList();
        Assert.Equal("succeeded", result.Status);
        Assert.True(read.Spec.Unschedulable);
        Assert.Equal(pods.Count(p => p.Spec.NodeName == node && Workload(p)), result.EvictedPods);
        Assert.NotEmpty(after);
        Assert.DoesNotContain(after, Workload);
    }
}

public sealed class SqliteSimulatorKubernetesWritesTests() : SimulatorKubernetesWritesTests(postgres: false);

public sealed class PostgresSimulatorKubernetesWritesTests() : SimulatorKubernetesWritesTests(postgres: true);

using System.Diagnostics;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.SimulatedKubernetes;

namespace SpotOptimizer.Agent.Tests;

/// <summary>
/// kubectl, a client we did not write, reads the simulated API (discovery first, then the lists): evidence that the
/// shapes are the API's and not only what our agent happens to accept. Skipped where kubectl is not installed.
/// </summary>
public sealed class KubectlTests
{
    [SkippableFact]
    public async Task Kubectl_GetNodesAndPods_ListsTheSimulatedCluster()
    {
        var kubectl = Environment.GetEnvironmentVariable("PATH")!.Split(Path.PathSeparator).Select(d => Path.Combine(d, "kubectl")).FirstOrDefault(File.Exists);
        Skip.If(kubectl is null, "kubectl is not installed");
        var region = SimulatedWorld.Demo(7).FindAccount(SimulatedWorld.DemoAccountId)!.Regions[0];
        var inventory = SimulatedWorkloads.For(region.NodesOf(region.Clusters[0].Cluster.Name), seed: 3);
        Assert.NotEmpty(inventory.Nodes);
        await using var host = await SimulatedClusterHost.StartAsync(() => KubernetesObjects.From(inventory));
        var kubeconfig = Path.Combine(Path.GetTempPath(), $"kubeconfig-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(kubeconfig, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: sim
              cluster:
                server: "{host.BaseAddress}"
            users:
            - name: sim
              user:
                token: unused
            contexts:
            - name: sim
              context:
                cluster: sim
                user: sim
            current-context: sim
            """);
        try
        {
            var nodes = await RunAsync(kubectl!, kubeconfig, "get", "nodes", "-o", "name");
            var pods = await RunAsync(kubectl!, kubeconfig, "get", "pods", "--all-namespaces", "-o", "name");

            Assert.Equal(inventory.Nodes.Select(n => $"node/{n.Name}").Order(StringComparer.Ordinal), nodes.Order(StringComparer.Ordinal));
            // The DaemonSet pods are in the API (three per node) though the inventory does not list them.
            Assert.Equal(inventory.Pods.Count + (3 * inventory.Nodes.Count), pods.Count);
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }

    private static async Task<List<string>> RunAsync(string kubectl, string kubeconfig, params string[] arguments)
    {
        var start = new ProcessStartInfo(kubectl) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments.Prepend(kubeconfig).Prepend("--kubeconfig")) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(process.ExitCode == 0, $"kubectl {string.Join(' ', arguments)} failed: {await errors}");
        return [.. (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }
}

using System.Net;
using k8s;
using k8s.Autorest;
using Microsoft.Extensions.Hosting;
using SpotOptimizer.Agent.Reporting;
using SpotOptimizer.Api.Tests;
using SpotOptimizer.Api.Tests.Onboarding;
using SpotOptimizer.Api.Tests.Sweeps;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Agent.Tests;

/// <summary>
/// GET /api/simulator/clusters/{id}/kubeconfig: the platform (on a real port, as `dotnet run` serves it) hands out a
/// kubeconfig for the simulated cluster's Kubernetes API it serves itself; the real agent, configured by that file
/// alone, turns the cluster green with the simulated world's node counts. Another tenant gets 404, a forged credential reads nothing.
/// </summary>
public abstract class KubeconfigTests(bool postgres)
{
    [SkippableFact]
    public async Task Kubeconfig_AgentConfiguredByIt_ClusterTurnsGreenWithTheWorldsNodes()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres);
        app.UseKestrel(0);
        app.StartServer();
        var tenant = await TenantClient.SignUpAsync(app, $"kubeconfig-{Guid.NewGuid():N}@example.com");
        const string awsAccount = "410987654321";
        var (clusterId, token, _) = await Journey.ConnectFirstClusterAsync(tenant, await Journey.LinkAccountAsync(tenant, awsAccount));
        var cluster = await tenant.GetJsonAsync($"/api/clusters/{clusterId}");
        var stranger = await TenantClient.SignUpAsync(app, $"kubeconfig-stranger-{Guid.NewGuid():N}@example.com");
        using (var foreign = await stranger.Http.GetAsync($"/api/simulator/clusters/{clusterId}/kubeconfig"))
            await ProblemAssert.IsAsync(foreign, HttpStatusCode.NotFound, "not_found");

        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Root);
        var kubeconfig = temp.Child("kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, await tenant.Http.GetStringAsync($"/api/simulator/clusters/{clusterId}/kubeconfig"));
        using var platform = app.CreateClient();
        // The agent as `dotnet run --project Agent -- --kubeconfig … --api-url … --token …` starts it.
        using var agent = AgentHost.Create(["--kubeconfig", kubeconfig, "--api-url", platform.BaseAddress!.ToString(), "--token", token]);
        await agent.StartAsync();

        var world = app.Services.GetRequiredService<SimulatedCloud>().World;
        var running = world.FindAccount(awsAccount)!.FindRegion(cluster.GetProperty("region").GetString()!)!.NodesOf(cluster.GetProperty("name").GetString()!)
            .Where(n => n.TerminatedAt is null && n.Instance.State == Cloud.InstanceState.Running).ToList();
        Assert.NotEmpty(running);
        var view = await Eventually.Wait(() => tenant.GetJsonAsync($"/api/clusters/{clusterId}"), v => v.GetProperty("agent_status").GetString() == "green",
            TimeSpan.FromSeconds(30), "the agent's first report");
        await agent.StopAsync();
        Assert.Equal((running.Count, running.Count(n => n.Instance.Lifecycle == Cloud.InstanceLifecycle.Spot)),
            (view.GetProperty("node_count").GetInt32(), view.GetProperty("spot_node_count").GetInt32()));
        Assert.Equal(1, (await tenant.GetJsonAsync($"/api/clusters/{clusterId}/recommendations")).GetProperty("inventory_version").GetInt32());

        var forged = ClusterReader.Configuration(kubeconfig);
        forged.AccessToken = stranger.OrganizationId + forged.AccessToken![forged.AccessToken.LastIndexOf('.')..];
        using var impostor = new Kubernetes(forged);
        var refused = await Assert.ThrowsAsync<HttpOperationException>(() => impostor.CoreV1.ListNodeAsync());
        Assert.Equal(HttpStatusCode.NotFound, refused.Response.StatusCode);
    }
}

public sealed class SqliteKubeconfigTests() : KubeconfigTests(postgres: false);

public sealed class PostgresKubeconfigTests() : KubeconfigTests(postgres: true);

using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using SpotOptimizer.Api.Tests.Onboarding;
using SpotOptimizer.Api.Tests.Optimization;
using SpotOptimizer.Cloud;
using SpotOptimizer.Grains.Interfaces.Lab;
using SpotOptimizer.Optimization.Lab;
using SpotOptimizer.Testing;
using SpotOptimizer.Testing.SignalR;

namespace SpotOptimizer.Api.Tests.Lab;

/// <summary>
/// Two instances of the real host on one PostgreSQL: an A/B test started through one is read through the other, and
/// admins watching on either instance's <c>/hubs/lab</c> get its history and then its live points, wherever its grain runs.
/// </summary>
public sealed class TwoHostLabTests : TwoHostTest
{
    private const string AdminEmail = "lab-two@spotoptimizer.io";
    private const string AdminPassword = "Two-Silo-Lab-2026!";

    protected override IReadOnlyDictionary<string, string?> SettingsOfA => new Dictionary<string, string?>(OptimizationJourney.FastCloud)
    {
        ["Auth:SuperAdminEmail"] = AdminEmail,
        ["Auth:SuperAdminPassword"] = AdminPassword,
        ["Lab:TickInterval"] = "00:00:00.250",
        ["Optimizer:FirstRun"] = "1.00:00:00",
    };

    [SkippableFact]
    public async Task Experiment_StartedThroughOneHost_ReadAndWatchedLiveOnBoth()
    {
        var adminA = await TenantClient.SignInAsync(A, AdminEmail, AdminPassword);
        var adminB = await TenantClient.SignInAsync(B, AdminEmail, AdminPassword);
        var account = await Journey.LinkAccountAsync(adminA, "777788889999");
        var (clusterId, _, _) = await Journey.ConnectFirstClusterAsync(adminA, account);
        var clusterName = (await adminA.GetJsonAsync($"/api/clusters/{clusterId}")).GetProperty("name").GetString()!;
        var onDemand = OptimizationJourney.SimulatedCloudOf(A).World.FindAccount("777788889999")!.FindRegion("us-east-1")!.NodesOf(clusterName)
            .Where(n => n.TerminatedAt is null && n.Instance.Lifecycle == InstanceLifecycle.OnDemand).Select(n => n.Instance.InstanceId).Take(2).ToList();

        var started = await adminA.PostJsonAsync("/api/lab/parallel", new
        {
            cluster_id = clusterId, instance_a = onDemand[0], model_a = BuiltinModel.Id, instance_b = onDemand[1], model_b = BuiltinModel.Id,
        }, HttpStatusCode.Accepted);
        var id = started.GetProperty("test_id").GetString()!;
        await Eventually.Wait(() => adminB.GetJsonAsync($"/api/lab/experiments/{id}"), e => e.GetProperty("series").GetArrayLength() >= 2, TimeSpan.FromSeconds(30),
            "host B to read the experiment's points");

        foreach (var (app, admin) in new[] { (A, adminA), (B, adminB) })
        {
            var live = new List<long>();
            await using var hub = TestHubClient.Create(new Uri(app.Server.BaseAddress, "/hubs/lab"), admin.Token, app.Server.CreateWebSocketClient().ConnectAsync);
            hub.On<JsonElement>("telemetry", t =>
            {
                if (t.GetProperty("point").ValueKind != JsonValueKind.Object) return;
                lock (live) live.Add(t.GetProperty("point").GetProperty("seq").GetInt64());
            });
            await hub.StartAsync();
            var history = await hub.InvokeAsync<JsonElement>("Watch", id);
            var last = history.GetProperty("series").EnumerateArray().Max(p => p.GetProperty("seq").GetInt64());

            await Eventually.Wait(() => Task.FromResult(live.Count), n => n >= 2, TimeSpan.FromSeconds(20), "live points on this host");
            lock (live) Assert.True(live.Max() > last, "live points continue the history");
        }
    }
}

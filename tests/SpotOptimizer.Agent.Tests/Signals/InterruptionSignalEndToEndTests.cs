using System.Text.Json;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SpotOptimizer.Agent.Reporting;
using SpotOptimizer.Agent.Signals;
using SpotOptimizer.Api.Tests;
using SpotOptimizer.Api.Tests.Onboarding;
using SpotOptimizer.Cloud;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.SimulatedKubernetes;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Agent.Tests.Signals;

/// <summary>
/// The simulated cloud warns a Spot instance → the simulated cluster shows it as its handler does (NTH's taint on a node
/// group's node, Karpenter's event on a NodePool's node) → the real agent's watches see it → the real platform flags the
/// pool and records <c>spot.interruption_reported</c>, once, within seconds.
/// </summary>
public abstract class InterruptionSignalEndToEndTests(bool postgres)
{
    private const int Seed = 12;
    private const string AwsAccount = "310987654322";

    [SkippableFact]
    public async Task SimulatedNotices_AgentReportsEachOnce_PlatformFlagsThePool()
    {
        await using var world = await SignalWorld.StartAsync(postgres, karpenter: false);
        var spot = world.SpotNodes("eks.amazonaws.com/capacityType", "SPOT");
        var quiet = world.Nodes().Select(n => (Node: n.Metadata.Name, Id: Id(n.Spec.ProviderID))).First(n => !spot.Take(2).Contains(n));
        using var watcher = new NodeWatcher(world.Kubernetes, world.Reporter(), new ReportedSignals(), world.Options, world.Time, NullLogger<NodeWatcher>.Instance);

        await world.ExpectReportsAsync(watcher, spot, () =>
        {
            lock (world.Deleted) world.Deleted.Add(quiet.Node);
        });
    }

    /// <summary>
    /// Karpenter leaves no taint that names the cause: the event watch reports it, and the node watch, which also sees
    /// the node tainted disrupted and then deleted, adds nothing.
    /// </summary>
    [SkippableFact]
    public async Task SimulatedNotices_KarpenterNodes_EventWatchReportsEachOnce_PlatformFlagsThePool()
    {
        await using var world = await SignalWorld.StartAsync(postgres, karpenter: true);
        var spot = world.SpotNodes("karpenter.sh/capacity-type", "spot");
        var reported = new ReportedSignals();
        using var nodes = new NodeWatcher(world.Kubernetes, world.Reporter(), reported, world.Options, world.Time, NullLogger<NodeWatcher>.Instance);
        using var events = new KarpenterEventWatcher(world.Kubernetes, world.Reporter(), reported, world.Options, world.Time, NullLogger<KarpenterEventWatcher>.Instance);
        await nodes.StartAsync(CancellationToken.None);
        try
        {
            // As in a running agent, the node watch has listed the nodes before the warning (in the test the node is deleted at once).
            await Eventually.Wait(() => Task.FromResult(reported.InstanceOf(spot[0].Node)), id => id == spot[0].Id, TimeSpan.FromSeconds(10), "the node watch to list the nodes");

            // Karpenter deletes the interrupted node once drained; the event outlives it.
            await world.ExpectReportsAsync(events, spot, () =>
            {
                lock (world.Deleted) world.Deleted.Add(spot[0].Node);
            });
        }
        finally
        {
            await nodes.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>The platform with one tenant and one connected simulated cluster, served on the Kubernetes API the agent reads.</summary>
    private sealed class SignalWorld : IAsyncDisposable
    {
        private SpotOptimizerApp _app = null!;
        private SimulatedClusterHost _host = null!;
        private string _name = "", _region = "";

        public TenantClient Tenant { get; private set; } = null!;
        public SimulatedCloud Cloud { get; private set; } = null!;
        public TimeProvider Time { get; private set; } = null!;
        public k8s.IKubernetes Kubernetes { get; private set; } = null!;
        public IOptions<AgentOptions> Options { get; private set; } = null!;
        public HashSet<string> Deleted { get; } = new(StringComparer.Ordinal);

        public static async Task<SignalWorld> StartAsync(bool postgres, bool karpenter)
        {
            var world = new SignalWorld { _app = await SpotOptimizerApp.CreateAsync(postgres) };
            var app = world._app;
            world.Tenant = await TenantClient.SignUpAsync(app, $"signals-{Guid.NewGuid():N}@example.com");
            var (clusterId, token, _) = await Journey.ConnectFirstClusterAsync(world.Tenant, await Journey.LinkAccountAsync(world.Tenant, AwsAccount));
            var cluster = await world.Tenant.GetJsonAsync($"/api/clusters/{clusterId}");
            (world._name, world._region) = (cluster.GetProperty("name").GetString()!, cluster.GetProperty("region").GetString()!);
            world.Cloud = app.Services.GetRequiredService<SimulatedCloud>();
            world.Time = app.Services.GetRequiredService<TimeProvider>();
            if (karpenter)
            {
                // Karpenter launched this cluster's nodes: their instances carry its NodePool tag.
                foreach (var node in world.Region().NodesOf(world._name).ToList())
                {
                    world.Cloud.AddInstance(AwsAccount, world._region, node with
                    {
                        Instance = node.Instance with { Tags = new Dictionary<string, string>(node.Instance.Tags) { [Ec2Instance.NodePoolTag] = "default" } },
                    });
                }
            }

            world._host = await SimulatedClusterHost.StartAsync(world.Cluster);
            world.Kubernetes = world._host.Client();
            world.Options = Microsoft.Extensions.Options.Options.Create(new AgentOptions { Token = token });
            using var inventory = new InventoryReporter(new ClusterReader(world.Kubernetes), new PlatformClient(app.CreateClient(), token), world.Options, world.Time,
                NullLogger<InventoryReporter>.Instance);
            await inventory.ReportOnceAsync(CancellationToken.None);
            return world;
        }

        public List<V1Node> Nodes() => [.. Cluster().Nodes.Items];

        public List<(string Node, string Id)> SpotNodes(string label, string value)
        {
            var spot = Nodes().Where(n => n.Metadata.Labels.TryGetValue(label, out var v) && v == value).Select(n => (Node: n.Metadata.Name, Id: Id(n.Spec.ProviderID))).ToList();
            Assert.True(spot.Count >= 2, $"the simulated cluster has {spot.Count} Spot nodes");
            return spot;
        }

        public InterruptionReporter Reporter() => new(new PlatformClients(_app), Options, Time, NullLogger<InterruptionReporter>.Instance);

        /// <summary>Interrupts the first Spot node and recommends rebalancing the second; both reach the ledger once, with their notice times.</summary>
        public async Task ExpectReportsAsync(Microsoft.Extensions.Hosting.BackgroundService watcher, List<(string Node, string Id)> spot, Action alsoChange)
        {
            await watcher.StartAsync(CancellationToken.None);
            try
            {
                var interruption = Cloud.InterruptSpotInstance(AwsAccount, _region, spot[0].Id);
                var rebalance = Cloud.InterruptSpotInstance(AwsAccount, _region, spot[1].Id, InterruptionKind.RebalanceRecommendation);
                alsoChange();

                var reports = await Eventually.Wait(() => Reported(Tenant), r => r.Count >= 2, TimeSpan.FromSeconds(10), "both signals to reach the ledger");
                // Seconds more of watching (the simulated API polls every 500 ms): nothing is reported twice, no deletion by itself.
                await Task.Delay(TimeSpan.FromSeconds(2));
                reports = await Reported(Tenant);

                Assert.Equal(
                    [($"instance:{spot[0].Id}", "interruption"), ($"instance:{spot[1].Id}", "rebalance_recommendation")],
                    reports.Select(r => (r.Resource, r.Details.GetProperty("kind").GetString())).Order());
                var flagged = reports.Single(r => r.Resource == $"instance:{spot[0].Id}").Details;
                Assert.Equal(interruption.NoticeTime.ToUnixTimeSeconds(), flagged.GetProperty("notice_time").GetDateTimeOffset().ToUnixTimeSeconds());
                Assert.Equal($"{_region}/{interruption.AvailabilityZone}/{interruption.InstanceType}", flagged.GetProperty("pool").GetString());
                Assert.True(flagged.GetProperty("flagged_until").GetDateTimeOffset() > Time.GetUtcNow());
                Assert.Equal(rebalance.NoticeTime.ToUnixTimeSeconds(),
                    reports.Single(r => r.Resource == $"instance:{spot[1].Id}").Details.GetProperty("notice_time").GetDateTimeOffset().ToUnixTimeSeconds());
                // The hive mind: an agent's report is its tenant's claim. Alone it flags the pool on that tenant's own board, so
                // its own decisions avoid the pool; other tenants move only on AWS's word or other tenants' claims.
                var own = (await Tenant.GetJsonAsync($"/api/spot/regions/{_region}/flags")).GetProperty("own_flags").EnumerateArray()
                    .Select(f => (f.GetProperty("availability_zone").GetString(), f.GetProperty("instance_type").GetString()));
                Assert.Contains((interruption.AvailabilityZone, interruption.InstanceType), own);
            }
            finally
            {
                await watcher.StopAsync(CancellationToken.None);
            }
        }

        public async ValueTask DisposeAsync()
        {
            (Kubernetes as IDisposable)?.Dispose();
            await _host.DisposeAsync();
            await _app.DisposeAsync();
        }

        private SimulatedRegion Region() => Cloud.World.FindAccount(AwsAccount)!.FindRegion(_region)!;

        private KubernetesObjects Cluster()
        {
            var objects = TerminationHandler.ClusterAt(Region(), _name, Seed, Time.GetUtcNow());
            lock (Deleted) objects.Nodes.Items = [.. objects.Nodes.Items.Where(n => !Deleted.Contains(n.Metadata.Name))];
            return objects;
        }
    }

    private static async Task<List<(string Resource, JsonElement Details)>> Reported(TenantClient tenant) =>
        [.. (await tenant.GetJsonAsync("/api/activity/live?limit=500")).GetProperty("events").EnumerateArray()
            .Where(e => e.GetProperty("action").GetString() == "spot.interruption_reported")
            .Select(e => (e.GetProperty("resource").GetString()!, JsonDocument.Parse(e.GetProperty("after").GetString()!).RootElement))];

    private static string Id(string providerId) => providerId[(providerId.LastIndexOf('/') + 1)..];

    /// <summary>The platform's in-process test server, as the named client the agent's reporters use.</summary>
    private sealed class PlatformClients(SpotOptimizerApp app) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => app.CreateClient();
    }
}

public sealed class SqliteInterruptionSignalEndToEndTests() : InterruptionSignalEndToEndTests(postgres: false);

public sealed class PostgresInterruptionSignalEndToEndTests() : InterruptionSignalEndToEndTests(postgres: true);

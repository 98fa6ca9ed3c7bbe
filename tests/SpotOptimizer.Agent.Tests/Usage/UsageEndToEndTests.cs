using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SpotOptimizer.Agent.Inventory;
using SpotOptimizer.Agent.Reporting;
using SpotOptimizer.Agent.Usage;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.Grains.Interfaces.Clusters;
using SpotOptimizer.SimulatedKubernetes;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Agent.Tests.Usage;

/// <summary>The agent's metrics reader against a simulated cluster's metrics-server, over HTTP, on the API server's clock.</summary>
public sealed class UsageEndToEndTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    public static AgentInventory Generated()
    {
        var region = SimulatedWorld.Demo(7).FindAccount(SimulatedWorld.DemoAccountId)!.Regions[0];
        return SimulatedWorkloads.For(region.NodesOf(region.Clusters[0].Cluster.Name), seed: 3);
    }

    [Fact]
    public async Task TwoDaysOfTicks_PercentilesConvergeToTheSimulatedShapes()
    {
        var inventory = Generated();
        var clock = new ManualTimeProvider(Start);
        await using var host = await SimulatedClusterHost.StartAsync(() => KubernetesObjects.From(inventory), new KubernetesOverlay(), clock);
        using var client = host.Client();
        var (cluster, metrics, history) = (new ClusterReader(client), new PodMetricsReader(client, NullLogger<PodMetricsReader>.Instance), new UsageHistory(TimeSpan.FromDays(14), TimeSpan.Zero));

        InventoryReport report = null!;
        for (var tick = 0; tick <= 96; tick++)
        {
            var snapshot = await cluster.ReadAsync(CancellationToken.None);
            var samples = PodUsageSamples.From(snapshot, (await metrics.ReadAsync(CancellationToken.None))!, clock.GetUtcNow());
            Assert.Equal(snapshot.Pods.Count(PodMapper.IsReported), history.Record(samples));
            report = history.Attach(InventoryMapper.Map(snapshot, "test/1"), clock.GetUtcNow());
            clock.Advance(TimeSpan.FromMinutes(30));
        }

        // 96 half hours: two days, sampled at the scrape each tick saw.
        foreach (var expected in inventory.Workloads.Where(w => w.Usage is not null))
        {
            var usage = report.Workloads.Single(w => w.Namespace == expected.Namespace && w.Name == expected.Name).Usage!;
            var shape = expected.Usage!;
            Assert.Equal((2.0, "metrics-server"), (usage.WindowDays, usage.Source));
            AssertNear(shape.CpuP50Millicores, usage.CpuP50Millicores, expected.Name);
            AssertNear(shape.CpuP95Millicores, usage.CpuP95Millicores, expected.Name);
            AssertNear(shape.MemoryP50MiB, usage.MemoryP50Mib, expected.Name);
            AssertNear(shape.MemoryP99MiB, usage.MemoryP99Mib, expected.Name);
        }

        // The batch job has no shape: metrics-server still measures its pods, so it gets usage too (from its requests' 40 / 70 / 80 %).
        Assert.All(report.Workloads, w => Assert.NotNull(w.Usage));
    }

    [Fact]
    public async Task NoMetricsServer_UsageStaysNull_LoggedOnce_ReportsGoOn()
    {
        var inventory = Generated();
        await using var host = await SimulatedClusterHost.StartAsync(() => KubernetesObjects.From(inventory) with { PodUsage = null });
        using var client = host.Client();
        var log = new CountingLogger<PodMetricsReader>();
        var (cluster, metrics, history) = (new ClusterReader(client), new PodMetricsReader(client, log), new UsageHistory(TimeSpan.FromDays(14), TimeSpan.Zero));

        for (var tick = 0; tick < 3; tick++)
        {
            Assert.Null(await metrics.ReadAsync(CancellationToken.None));
            var report = history.Attach(InventoryMapper.Map(await cluster.ReadAsync(CancellationToken.None), "test/1"), Start.AddMinutes(tick));
            Assert.NotEmpty(report.Workloads);
            Assert.All(report.Workloads, w => Assert.Null(w.Usage));
        }

        Assert.Equal(1, log.Count);
        Assert.Contains("not installed", log.Last, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discovery_ListsMetricsGroupOnlyWithMetricsServer()
    {
        var inventory = Generated();
        await using var with = await SimulatedClusterHost.StartAsync(() => KubernetesObjects.From(inventory));
        await using var without = await SimulatedClusterHost.StartAsync(() => KubernetesObjects.From(inventory) with { PodUsage = null });
        using var http = new HttpClient();

        var groups = await http.GetStringAsync(new Uri(with.BaseAddress, "apis"));
        var resources = await http.GetStringAsync(new Uri(with.BaseAddress, "apis/metrics.k8s.io/v1beta1"));

        Assert.Contains("\"metrics.k8s.io/v1beta1\"", groups, StringComparison.Ordinal);
        Assert.Contains("\"PodMetrics\"", resources, StringComparison.Ordinal);
        Assert.DoesNotContain("metrics.k8s.io", await http.GetStringAsync(new Uri(without.BaseAddress, "apis")), StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync(new Uri(without.BaseAddress, "apis/metrics.k8s.io/v1beta1/pods"))).StatusCode);
    }

    [Fact]
    public void SimulatedPodUsage_SameInstantSameValue_QuantilesOfManyDrawsAreTheShape()
    {
        var shape = new WorkloadUsage(14, "metrics-server", 30, 55, 70, 140, 170, 190);
        Assert.Equal(SimulatedPodUsage.At(shape, "shop/web-1", Start), SimulatedPodUsage.At(shape, "shop/web-1", Start));
        Assert.NotEqual(SimulatedPodUsage.At(shape, "shop/web-1", Start), SimulatedPodUsage.At(shape, "shop/web-2", Start));

        var draws = Enumerable.Range(0, 20_000).Select(i => SimulatedPodUsage.At(shape, "shop/web-1", Start.AddSeconds(15 * i))).ToList();

        Assert.InRange(Percentiles.NearestRank(draws.Select(d => d.CpuMillicores), 0.50), 29, 31);
        Assert.InRange(Percentiles.NearestRank(draws.Select(d => d.CpuMillicores), 0.95), 54, 56);
        Assert.InRange(Percentiles.NearestRank(draws.Select(d => d.MemoryMiB), 0.99), 188, 192);
        Assert.InRange(draws.Min(d => d.CpuMillicores), 18, 30);
    }

    /// <summary>Sampled percentiles are near the shape's, not equal: a few hundred samples, 2 % buckets, rounding up.</summary>
    private static void AssertNear(int expected, int actual, string workload) =>
        Assert.True(Math.Abs(actual - expected) <= Math.Max(3, expected * 0.08), $"{workload}: expected about {expected}, got {actual}");

    private sealed class CountingLogger<T> : ILogger<T>
    {
        public int Count { get; private set; }

        public string Last { get; private set; } = "";

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            Count++;
            Last = formatter(state, exception);
        }
    }
}

using Orleans;
using Orleans.Runtime;
using SpotOptimizer.Cloud;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.Grains.Interfaces.Clusters;
using SpotOptimizer.Grains.Interfaces.Feeds;
using SpotOptimizer.Tenancy;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Grains.Tests.Cluster;

/// <summary>
/// An Orleans test cluster of two silos on one PostgreSQL database: a grain whose silo dies comes back on the other
/// with its persisted state, and a feed event raised on either silo reaches a subscriber of the other.
/// </summary>
public sealed class TwoSiloFailoverTests : IAsyncLifetime
{
    private readonly StorageKind _storage = new StorageKind.Postgres();
    private TestSilo _cluster = null!;

    /// <summary>One simulated cloud object for both silos: they are one deployment, so they see one world.</summary>
    private readonly SimulatedCloud _cloud = new(SimulatedWorld.Demo(7));

    public async Task InitializeAsync() =>
        _cluster = await TestSilo.StartAsync(await _storage.CreateAsync(),
            services: s => s.AddSingleton(_cloud).AddSingleton<ICloudProvider>(_cloud).AddGrainServices().AddSimulatedMarketFeed()
                // The optimize reminder's first tick comes soon after connecting, on the silo owning its ring range.
                .Configure<SpotOptimizer.Grains.Optimization.OptimizerOptions>(o => (o.FirstRun, o.Period) = (TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(1))),
            silos: 2);

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        await _storage.DisposeAsync();
    }

    [SkippableFact]
    public async Task SiloHostingACluster_Killed_ItsGrainComesBackOnTheOtherWithItsState()
    {
        var demo = await DemoCluster.LinkAsync(_cluster, connect: true);
        var grain = _cluster.Grains.GetGrain<IClusterGrain>(demo.Cluster.ClusterId);
        await grain.UpdatePolicy(demo.OrganizationId, "user:test", new PolicyPatch(BinpackAggressiveness: 70));
        var host = _cluster.Cluster.HostOf(grain);

        await _cluster.Cluster.KillSiloAsync(_cluster.Cluster.Silos.Single(s => s.SiloAddress.Equals(host)));
        var survivor = _cluster.Cluster.Silos.Single().ServiceProvider.GetRequiredService<IGrainFactory>();
        var policy = await Eventually.Wait<PolicyView?>(() => survivor.GetGrain<IClusterGrain>(demo.Cluster.ClusterId).GetPolicy(demo.OrganizationId),
            p => p is not null, TimeSpan.FromSeconds(60), "the cluster grain on the surviving silo");

        Assert.Equal(70, policy!.Policy.BinpackAggressiveness);
        Assert.NotEqual(host, _cluster.Cluster.HostOf(grain));
    }

    [SkippableFact]
    public async Task SiloOwningAReminder_KilledBeforeItFires_TheReminderFiresOnTheSurvivor()
    {
        var demo = await DemoCluster.LinkAsync(_cluster, connect: true);
        var grain = _cluster.Grains.GetGrain<IClusterGrain>(demo.Cluster.ClusterId);
        var hash = grain.GetGrainId().GetUniformHashCode();
        var owner = _cluster.Cluster.Silos.Single(s => s.OwnsRingPosition(hash));

        await _cluster.Cluster.KillSiloAsync(owner);
        var survivor = _cluster.Cluster.Silos.Single().ServiceProvider.GetRequiredService<IGrainFactory>();

        // The first tick (5 s after connecting) starts the cluster's first optimization job: only a reminder does that.
        var jobs = await Eventually.Wait<IReadOnlyList<string>?>(() => survivor.GetGrain<IClusterGrain>(demo.Cluster.ClusterId).GetRecentJobs(demo.OrganizationId),
            j => j is { Count: > 0 }, TimeSpan.FromSeconds(90), "the optimize reminder's first job, started on the survivor");
        Assert.Single(jobs!);
    }

    [SkippableFact]
    public async Task LedgerEntryWrittenOnEachSilo_ReachesARecorderSubscribedOnTheFirst()
    {
        await using var feed = await FeedRecorder.SubscribeAsync(_cluster.Grains, "org-feeds");

        foreach (var silo in _cluster.Cluster.Silos)
        {
            await silo.ServiceProvider.GetRequiredService<AuditLedger>()
                .RecordAsync("org-feeds", "user:test", "cluster.connected", $"silo:{silo.SiloAddress}", null, default);
        }

        var events = await Eventually.Wait(() => feed.Events.ToList(), e => e.Count == 2, what: "one event per silo");
        Assert.All(events, e => Assert.Equal((FeedNames.Activity, "org-feeds"), (e.Feed, e.OrganizationId)));
    }
}

internal static class GrainPlacement
{
    /// <summary>The silo where the grain's current activation lives.</summary>
    public static SiloAddress HostOf(this Orleans.TestingHost.InProcessTestCluster cluster, IAddressable grain) =>
        cluster.TryGetGrainContext(grain.GetGrainId(), out var context)
            ? context.Address.SiloAddress!
            : throw new InvalidOperationException($"{grain.GetGrainId()} has no activation.");

    /// <summary>
    /// Whether the silo's share of the consistent ring (which decides where a reminder fires) holds the position.
    /// Orleans keeps the ring provider internal; a test asking which silo to kill reads it by reflection.
    /// </summary>
    public static bool OwnsRingPosition(this Orleans.TestingHost.InProcessSiloHandle silo, uint position)
    {
        var ringType = Type.GetType("Orleans.Runtime.ConsistentRing.IConsistentRingProvider, Orleans.Runtime", throwOnError: true)!;
        var ring = silo.ServiceProvider.GetRequiredService(ringType);
        var range = ringType.GetMethod("GetMyRange")!.Invoke(ring, null)!;
        return (bool)range.GetType().GetMethod("InRange", [typeof(uint)])!.Invoke(range, [position])!;
    }
}

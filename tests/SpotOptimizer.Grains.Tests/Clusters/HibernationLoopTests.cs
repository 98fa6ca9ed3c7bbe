using Orleans;
using SpotOptimizer.Cloud;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.Grains;
using SpotOptimizer.Grains.Clusters;
using SpotOptimizer.Grains.Interfaces.Accounts;
using SpotOptimizer.Grains.Interfaces.Clusters;
using SpotOptimizer.Tenancy;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Grains.Tests.Clusters;

/// <summary>
/// The hibernation loop end to end on a manual clock: the cluster's durable reminder ticks every minute for five days
/// across the US spring-forward, and the simulated cloud's node groups go to zero and back at the right UTC instants.
/// </summary>
public abstract class HibernationLoopTests(StorageKind storage) : IAsyncLifetime
{
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 3, 6, 0, 0, 0, TimeSpan.Zero));
    private readonly StorageKind _storage = storage;
    private TestSilo _silo = null!;

    public async Task InitializeAsync() =>
        _silo = await TestSilo.StartAsync(await _storage.CreateAsync(), _clock,
            services => services.AddSimulatedCloud(7).AddGrainServices());

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        await _storage.DisposeAsync();
    }

    [SkippableFact]
    public async Task Week_OfficeHoursInNewYorkAcrossSpringForward_SleepsAndWakesAtShiftedUtcInstants()
    {
        var (organizationId, accountId, cluster) = await DemoCluster.LinkAsync(_silo, connect: false);
        var grain = _silo.Grains.GetGrain<IClusterGrain>(cluster.ClusterId);
        Assert.Equal(AccountStatus.Active, (await _silo.Grains.GetGrain<IAccountGrain>(accountId).Get(organizationId))!.Status);

        await grain.ConfigureHibernation(organizationId, "user:test", new HibernationPatch(OfficeHours(), "America/New_York", Prewarm: false));
        Assert.NotNull(await _silo.Services.GetRequiredService<Orleans.IReminderTable>().ReadRow(grain.GetGrainId(), ClusterGrain.HibernationReminder));
        for (var minute = 0; minute < 5 * 24 * 60; minute++)
        {
            _clock.Advance(TimeSpan.FromMinutes(1));
            await grain.TickAsync(ClusterGrain.HibernationReminder, _clock.GetUtcNow(), TimeSpan.FromMinutes(1));
        }

        var view = await Eventually.Wait(() => grain.GetHibernation(organizationId), v => v!.RecentTransitions.Count >= 7, what: "seven transitions");
        Assert.Equal(
        [
            (Utc(6, 0, 1), ClusterPower.Asleep),
            (Utc(6, 14, 0), ClusterPower.Awake),   // Friday 09:00 EST
            (Utc(6, 22, 0), ClusterPower.Asleep),
            (Utc(9, 13, 0), ClusterPower.Awake),   // Monday 09:00 EDT: one hour earlier in UTC after the clocks jumped
            (Utc(9, 21, 0), ClusterPower.Asleep),
            (Utc(10, 13, 0), ClusterPower.Awake),
            (Utc(10, 21, 0), ClusterPower.Asleep),
        ], view!.RecentTransitions.Select(t => (t.At, t.Power)));

        var nodegroups = _silo.Services.GetRequiredService<SimulatedCloud>().World.FindAccount(SimulatedWorld.DemoAccountId)!
            .FindRegion("us-east-1")!.FindCluster(cluster.Name)!.Nodegroups;
        Assert.All(nodegroups, g => Assert.Equal(0, g.Scaling.DesiredSize));
        var woken = view.RecentTransitions.Last(t => t.Power == ClusterPower.Awake).Nodegroups;
        var asleep = view.RecentTransitions[0].Nodegroups;
        Assert.All(woken, g => Assert.True(g.DesiredSize > 0, $"{g.Name} woke with no nodes"));
        Assert.Equal(asleep.Select(g => g.Name).Order(), woken.Select(g => g.Name).Order());
    }

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Unmanage_AsleepCluster_WakesItFirst_UnlessSafeModeForbids(bool safeModeOn)
    {
        var (organizationId, _, cluster) = await DemoCluster.LinkAsync(_silo, connect: true);
        var grain = _silo.Grains.GetGrain<IClusterGrain>(cluster.ClusterId);
        await grain.ConfigureHibernation(organizationId, "user:test", new HibernationPatch(new int[168], "UTC", Prewarm: false));
        _clock.Advance(TimeSpan.FromMinutes(1));
        await grain.TickAsync(ClusterGrain.HibernationReminder, _clock.GetUtcNow(), TimeSpan.FromMinutes(1));
        Assert.All(Nodegroups(cluster.Name), g => Assert.Equal(0, g.Scaling.DesiredSize));

        _silo.Services.GetRequiredService<SafeMode>().Observe(safeModeOn);
        var result = await grain.Unmanage(organizationId, "user:test");
        _silo.Services.GetRequiredService<SafeMode>().Observe(false);

        Assert.True(result!.WasManaged);
        Assert.Equal(safeModeOn, result.LeftAsleep);
        if (safeModeOn) Assert.All(Nodegroups(cluster.Name), g => Assert.Equal(0, g.Scaling.DesiredSize));
        else Assert.All(Nodegroups(cluster.Name), g => Assert.True(g.Scaling.DesiredSize > 0, $"{g.Name} was left with no nodes"));
    }

    private IReadOnlyList<EksNodegroup> Nodegroups(string clusterName) =>
        _silo.Services.GetRequiredService<SimulatedCloud>().World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion("us-east-1")!.FindCluster(clusterName)!.Nodegroups;

    private static DateTimeOffset Utc(int day, int hour, int minute) => new(2026, 3, day, hour, minute, 0, TimeSpan.Zero);

    private static int[] OfficeHours()
    {
        var matrix = new int[168];
        for (var day = 0; day < 5; day++)
        {
            for (var hour = 9; hour < 17; hour++) matrix[(day * 24) + hour] = 1;
        }

        return matrix;
    }
}

public sealed class SqliteHibernationLoopTests() : HibernationLoopTests(new StorageKind.Sqlite());

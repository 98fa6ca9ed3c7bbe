using Microsoft.Extensions.DependencyInjection;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.Grains.Interfaces.Market;
using SpotOptimizer.Grains.Market;
using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Grains.Tests.Market;

/// <summary>SVC-SCRAPE-01 from a real Spot Advisor file: its buckets reach the market; a failed refresh keeps them, marked stale.</summary>
public sealed class SpotAdvisorFeedTests : IAsyncLifetime
{
    private const string AdvisorFile = "spot-advisor/2021/spot-advisor-data.json";
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 11, 2, 10, 0, 0, TimeSpan.Zero));
    private readonly StorageKind _storage = new StorageKind.Sqlite();
    private string _file = null!;
    private TestSilo _silo = null!;

    public async Task InitializeAsync()
    {
        var copy = Path.Combine(Path.GetTempPath(), $"advisor-{Guid.NewGuid():N}.json");
        File.Copy(Path.Combine(DataPack.Require(AdvisorFile), AdvisorFile), copy);
        _file = copy;
        _silo = await MarketSilo.StartAsync(await _storage.CreateAsync(), _clock, s => s.Configure<MarketOptions>(o => o.SpotAdvisorFile = _file));
    }

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        await _storage.DisposeAsync();
        File.Delete(_file);
    }

    [SkippableFact]
    public async Task AdvisorFile_BucketsOfTheRegionReachTheMarket_AFailedRefreshKeepsThemStale()
    {
        using var stream = DataPack.OpenRead(AdvisorFile);
        var expected = SpotAdvisorParser.Parse(stream).Entries
            .Where(e => e.Region == "us-east-1" && e.OperatingSystem == SpotAdvisorSnapshot.Linux)
            .ToDictionary(e => e.InstanceType, e => e.Bucket);
        var market = _silo.Grains.GetGrain<IMarketGrain>("us-east-1");

        await market.Start();

        var snapshot = MarketQuotesMapping.ToSnapshot((await market.GetSnapshot())!);
        var types = InstanceCatalog.Types.Select(t => t.Name).Where(expected.ContainsKey).ToList();
        Assert.NotEmpty(types);
        Assert.All(types, t => Assert.Equal(expected[t], snapshot.Pools.First(q => q.Type.Name == t).Bucket));
        Assert.Contains(types, t => expected[t] != SimulatedCloud.BuiltInAdvisorBuckets[t]);

        File.Delete(_file);
        _clock.Advance(TimeSpan.FromHours(6));
        var refresh = await market.RefreshAdvisor();

        Assert.False(refresh.Succeeded);
        Assert.True((await market.GetStatus()).AdvisorStale);
        Assert.All(types, t => Assert.Equal(expected[t], snapshot.Pools.First(q => q.Type.Name == t).Bucket));
        var after = MarketQuotesMapping.ToSnapshot((await market.GetSnapshot())!);
        Assert.All(types, t => Assert.Equal(expected[t], after.Pools.First(q => q.Type.Name == t).Bucket));
    }
}

using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using SpotOptimizer.Cloud;
using SpotOptimizer.Grains.Interfaces.Market;
using SpotOptimizer.Grains.Market.Aws;
using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Grains.Tests.Market.Aws;

/// <summary>
/// The AWS market feed inside a silo, as the AWS provider wires it: a region's market fills from AWS's public
/// sources, and each source's health (with its age) reaches the cluster's feed record that <c>/health</c> reads.
/// </summary>
public sealed class AwsMarketSiloTests : IAsyncLifetime
{
    private static readonly string[] TypeNames = ["m5.large", "c6g.xlarge", "r5.large"];

    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 11, 2, 10, 0, 0, TimeSpan.Zero));
    private readonly StorageKind _storage = new StorageKind.Sqlite();
    private readonly string _cache = Path.Combine(Path.GetTempPath(), $"spotopt-market-cache-{Guid.NewGuid():N}");
    private MarketSourcesEndpoint _sources = null!;
    private TestSilo _silo = null!;

    public async Task InitializeAsync()
    {
        _sources = await MarketSourcesEndpoint.StartAsync();
        var market = _sources.MarketOptions(_cache);
        _silo = await TestSilo.StartAsync(await _storage.CreateAsync(), _clock, services => services
            .AddSimulatedCloud(7).AddGrainServices().AddAwsMarketFeed(_sources.CloudOptions())
            .Configure<AwsMarketOptions>(o =>
            {
                o.OnDemandPriceListUrl = market.OnDemandPriceListUrl;
                o.SpotAdvisorUrl = market.SpotAdvisorUrl;
                o.CacheDirectory = market.CacheDirectory;
            }));
    }

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        await _sources.DisposeAsync();
        await _storage.DisposeAsync();
        if (Directory.Exists(_cache)) Directory.Delete(_cache, recursive: true);
    }

    [SkippableFact]
    public async Task Market_FillsFromAwsSources_FeedsHealthyThenSpotPricesDegradedWithTheirAge()
    {
        var types = PriceListFile.Types(TypeNames);
        _sources.PriceList = PriceListFile.Build(types);
        var advisorPath = Path.Combine(DataPack.Require("spot-advisor/spot-advisor-data.json"), "spot-advisor", "spot-advisor-data.json");
        _sources.Advisor = File.ReadAllBytes(advisorPath);
        var start = _clock.GetUtcNow();
        var spot = types.SelectMany((t, i) => new[] { "us-east-1a", "us-east-1b" }.Select((zone, z) =>
            new SpotPriceItem(zone, t.Name, (t.UsdPerHour * (0.3m + (0.01m * i) + (0.02m * z))).ToString("0.000000", CultureInfo.InvariantCulture), start.AddMinutes(-10)))).ToList();
        _sources.SpotPricePages = [spot.Take(3).ToList(), spot.Skip(3).ToList()];
        var market = _silo.Grains.GetGrain<IMarketGrain>("us-east-1");

        await market.Start();

        var snapshot = (await market.GetSnapshot())!;
        using var advisorStream = File.OpenRead(advisorPath);
        var buckets = SpotAdvisorParser.Parse(advisorStream).BucketsFor("us-east-1");
        Assert.Equal(
            spot.Select(s => (s.AvailabilityZone, s.InstanceType, double.Parse(s.Price, CultureInfo.InvariantCulture), (double?)(double)types.Single(t => t.Name == s.InstanceType).UsdPerHour, (int?)buckets[s.InstanceType]))
                .OrderBy(q => q.AvailabilityZone, StringComparer.Ordinal).ThenBy(q => q.InstanceType, StringComparer.Ordinal),
            snapshot.Pools.Select(q => (q.AvailabilityZone, q.InstanceType, q.SpotPrice, q.OnDemandPrice, q.Bucket)));
        var feeds = _silo.Grains.GetGrain<IMarketFeedHealthGrain>(IMarketFeedHealthGrain.Key);
        var healthy = await Eventually.Wait(() => feeds.GetFeeds(_clock.GetUtcNow()), f => f.Count == 3, what: "three feed reports");
        Assert.All(healthy, f => Assert.Equal((FeedState.Healthy, (double?)0), (f.State, f.AgeSeconds)));
        Assert.Equal([(MarketFeedNames.OnDemandPrices, "us-east-1"), (MarketFeedNames.SpotAdvisor, null), (MarketFeedNames.SpotPrices, "us-east-1")],
            healthy.Select(f => (f.Feed, f.Region)));

        _clock.Advance(TimeSpan.FromMinutes(10));
        _sources.Ec2Up = false;
        var refresh = await market.RefreshPrices();

        Assert.False(refresh.Succeeded);
        var degraded = await Eventually.Wait(() => feeds.GetFeeds(_clock.GetUtcNow()),
            f => f.Single(x => x.Feed == MarketFeedNames.SpotPrices).State == FeedState.Degraded, what: "spot prices degraded");
        Assert.Equal(600, degraded.Single(f => f.Feed == MarketFeedNames.SpotPrices).AgeSeconds);
        Assert.Equal(600, degraded.Single(f => f.Feed == MarketFeedNames.OnDemandPrices).AgeSeconds);
        Assert.All((await market.GetSnapshot())!.Pools, q => Assert.True(q.Stale));
    }
}

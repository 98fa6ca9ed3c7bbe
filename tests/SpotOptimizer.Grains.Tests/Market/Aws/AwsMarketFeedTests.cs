using Microsoft.Extensions.Logging.Abstractions;
using SpotOptimizer.Cloud;
using SpotOptimizer.Cloud.Aws;
using SpotOptimizer.Grains.Interfaces.Market;
using SpotOptimizer.Grains.Market.Aws;
using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Grains.Tests.Market.Aws;

/// <summary>
/// The AWS provider's market feed against AWS's public sources on a loopback server: Spot prices over every page,
/// the price list and Spot Advisor read and cached, the last good copy (+10% on prices) when a source goes away, even
/// after a restart, and each feed's health with its age.
/// </summary>
public sealed class AwsMarketFeedTests : IAsyncLifetime
{
    private static readonly string[] TypeNames = ["m5.large", "c6g.xlarge", "r5.large", "t3.medium", "g4dn.xlarge"];

    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 11, 2, 10, 0, 0, TimeSpan.Zero));
    private readonly string _cache = Path.Combine(Path.GetTempPath(), $"spotopt-market-cache-{Guid.NewGuid():N}");
    private readonly List<AwsMarketFeed> _feeds = [];
    private MarketSourcesEndpoint _sources = null!;

    public async Task InitializeAsync() => _sources = await MarketSourcesEndpoint.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var feed in _feeds) feed.Dispose();
        await _sources.DisposeAsync();
        if (Directory.Exists(_cache)) Directory.Delete(_cache, recursive: true);
        if (File.Exists(_cache)) File.Delete(_cache);
    }

    [Fact]
    public async Task SpotPrices_EveryPageOfLinuxPricesFromNow_NewestPerPool_AskedAgainOnlyAfterTheInterval()
    {
        var now = _clock.GetUtcNow();
        _sources.SpotPricePages =
        [
            [
                new("us-east-1a", "m5.large", "0.038100", now.AddMinutes(-90)),
                new("us-east-1b", "m5.large", "0.040200", now.AddMinutes(-30)),
            ],
            [
                new("us-east-1a", "m5.large", "0.036500", now.AddMinutes(-2)),
                new("us-east-1a", "c6g.xlarge", "0.052300", now.AddHours(-3)),
            ],
        ];
        var feed = NewFeed();

        var prices = await feed.GetSpotPricesAsync("us-east-1", CancellationToken.None);

        Assert.Equal(
            [("us-east-1a", "c6g.xlarge", 0.0523m), ("us-east-1a", "m5.large", 0.0365m), ("us-east-1b", "m5.large", 0.0402m)],
            prices.Select(p => (p.AvailabilityZone, p.InstanceType, p.PricePerHour)));
        var calls = _sources.SpotPriceCalls.ToList();
        Assert.Equal(2, calls.Count);
        Assert.All(calls, c => Assert.Equal("DescribeSpotPriceHistory", c["Action"]));
        Assert.All(calls, c => Assert.Equal("Linux/UNIX", c["ProductDescription.1"]));
        Assert.All(calls, c => Assert.Equal(now, DateTimeOffset.Parse(c["StartTime"], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.False(calls[0].ContainsKey("NextToken"));
        Assert.Equal("page-1", calls[1]["NextToken"]);
        Assert.Equal(new FeedReport(MarketFeedNames.SpotPrices, "us-east-1", FeedState.Healthy, now, null), Report(feed, MarketFeedNames.SpotPrices));

        _clock.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(prices, await feed.GetSpotPricesAsync("us-east-1", CancellationToken.None));
        Assert.Equal(2, _sources.SpotPriceCalls.Count);
        _clock.Advance(TimeSpan.FromMinutes(1));
        await feed.GetSpotPricesAsync("us-east-1", CancellationToken.None);
        Assert.Equal(4, _sources.SpotPriceCalls.Count);
    }

    [Fact]
    public async Task SpotPrices_ThrottledOnce_RetriedByTheOneAwsPolicy_CountedAsARetryAndOneSuccessfulCall()
    {
        var now = _clock.GetUtcNow();
        _sources.SpotPricePages = [[new("us-east-1a", "m5.large", "0.038100", now.AddMinutes(-5))]];
        _sources.ThrottleSpotPriceCalls = 1;
        var feed = NewFeed(retries: 2);
        using var recorded = new MeterMeasurements(feed.Metrics.Meter);

        var prices = await feed.GetSpotPricesAsync("us-east-1", CancellationToken.None);

        Assert.Equal([("us-east-1a", "m5.large", 0.0381m)], prices.Select(p => (p.AvailabilityZone, p.InstanceType, p.PricePerHour)));
        // Once throttled, once answered: our retry, not the SDK's (which would have sent more, and counted nothing).
        Assert.Equal(2, _sources.SpotPriceCalls.Count);
        Assert.Equal([(CloudActions.DescribeSpotPriceHistory, "RequestLimitExceeded")], recorded.Of(AwsMetrics.RetriesCounter, "code"));
        Assert.Equal([(CloudActions.DescribeSpotPriceHistory, AwsMetrics.Success)], recorded.Of(AwsMetrics.CallsCounter, "outcome"));
        Assert.Equal(FeedState.Healthy, Report(feed, MarketFeedNames.SpotPrices).State);
    }

    [Fact]
    public async Task SpotPrices_ThrottledBeyondTheRetries_FailsThrottled_CountedWithItsOutcome()
    {
        _sources.SpotPricePages = [[new("us-east-1a", "m5.large", "0.038100", _clock.GetUtcNow())]];
        _sources.ThrottleSpotPriceCalls = 5;
        var feed = NewFeed(retries: 1);
        using var recorded = new MeterMeasurements(feed.Metrics.Meter);

        var failure = await Assert.ThrowsAsync<CloudException>(() => feed.GetSpotPricesAsync("us-east-1", CancellationToken.None));

        Assert.Equal(CloudErrorCodes.Throttled, failure.Code);
        Assert.Equal(2, _sources.SpotPriceCalls.Count);
        Assert.Equal([(CloudActions.DescribeSpotPriceHistory, CloudErrorCodes.Throttled)], recorded.Of(AwsMetrics.CallsCounter, "outcome"));
        Assert.Equal(FeedState.Unavailable, Report(feed, MarketFeedNames.SpotPrices).State);
    }

    [Fact]
    public async Task SpotPrices_SourceDown_UnavailableWithoutAGoodSweep_DegradedWithItsAgeAfterOne()
    {
        var start = _clock.GetUtcNow();
        _sources.SpotPricePages = [[new("us-east-1a", "m5.large", "0.038100", start)]];
        _sources.Ec2Up = false;
        var feed = NewFeed();

        var none = await Assert.ThrowsAsync<CloudException>(() => feed.GetSpotPricesAsync("us-east-1", CancellationToken.None));
        Assert.Equal(CloudErrorCodes.Unavailable, none.Code);
        Assert.Equal(FeedState.Unavailable, Report(feed, MarketFeedNames.SpotPrices).State);
        Assert.Null(Report(feed, MarketFeedNames.SpotPrices).LastGoodAt);

        _sources.Ec2Up = true;
        await feed.GetSpotPricesAsync("us-east-1", CancellationToken.None);
        Assert.Equal(FeedState.Healthy, Report(feed, MarketFeedNames.SpotPrices).State);

        _clock.Advance(TimeSpan.FromMinutes(5));
        _sources.Ec2Up = false;
        await Assert.ThrowsAsync<CloudException>(() => feed.GetSpotPricesAsync("us-east-1", CancellationToken.None));
        var degraded = Report(feed, MarketFeedNames.SpotPrices);
        Assert.Equal(FeedState.Degraded, degraded.State);
        Assert.Equal(start, degraded.LastGoodAt);
        Assert.Contains("DescribeSpotPriceHistory", degraded.Detail);
    }

    [SkippableFact]
    public async Task Reference_TypesAndOnDemandPricesFromThePriceList_BucketsFromTheAdvisor()
    {
        var types = ServeDataPack();
        var feed = NewFeed();

        var reference = await feed.GetReferenceAsync("us-east-1", CancellationToken.None);

        Assert.Equal(types.ToDictionary(t => t.Name, t => (double)t.UsdPerHour), reference.OnDemandPrices);
        Assert.Equal(types.Select(t => t.Name).Order(StringComparer.Ordinal), reference.Types.Select(t => t.Name));
        foreach (var type in types)
        {
            var info = reference.Types.Single(t => t.Name == type.Name);
            Assert.Equal(type.VCpus, info.VCpu);
            Assert.Equal(type.MemoryMiB, info.MemoryMiB);
            Assert.Equal(type.Architecture == "arm64" ? CpuArchitecture.Arm64 : CpuArchitecture.Amd64, info.Architecture);
            Assert.Equal(type.Gpus, info.GpuCount);
        }

        Assert.Equal(AdvisorFile().BucketsFor("us-east-1"), reference.Buckets);
        Assert.Equal([new AvailabilityZone("us-east-1a", "use1-az4"), new AvailabilityZone("us-east-1b", "use1-az6")], reference.Zones);
        Assert.All(feed.Reports, r => Assert.Equal(FeedState.Healthy, r.State));
        Assert.Equal([MarketFeedNames.OnDemandPrices, MarketFeedNames.SpotAdvisor], feed.Reports.Select(r => r.Feed).Order(StringComparer.Ordinal));
        Assert.True(File.Exists(Path.Combine(_cache, "ondemand-prices-us-east-1.json")), "the last good price list is cached on disk");
        Assert.True(File.Exists(Path.Combine(_cache, "spot-advisor-data.json")), "the last good advisor copy is cached on disk");
    }

    [SkippableFact]
    public async Task Reference_AfterARestartWithinTheInterval_ServedFromTheCacheWithoutDownloading()
    {
        var types = ServeDataPack();
        await NewFeed().GetReferenceAsync("us-east-1", CancellationToken.None);
        var downloads = _sources.Downloads.Count;
        _clock.Advance(TimeSpan.FromHours(2));
        _sources.PricingUp = _sources.AdvisorUp = false;

        var restarted = NewFeed();
        var reference = await restarted.GetReferenceAsync("us-east-1", CancellationToken.None);

        Assert.Equal(downloads, _sources.Downloads.Count);
        Assert.Equal(types.ToDictionary(t => t.Name, t => (double)t.UsdPerHour), reference.OnDemandPrices);
        Assert.All(restarted.Reports, r => Assert.Equal(FeedState.Healthy, r.State));
        Assert.All(restarted.Reports, r => Assert.Equal(_clock.GetUtcNow() - TimeSpan.FromHours(2), r.LastGoodAt));
    }

    [SkippableFact]
    public async Task Reference_SourcesGoneAfterARestart_LastGoodCopyPlusTenPercent_Degraded_ThenHealthyWhenBack()
    {
        var types = ServeDataPack();
        var fetchedAt = _clock.GetUtcNow();
        await NewFeed().GetReferenceAsync("us-east-1", CancellationToken.None);
        _clock.Advance(TimeSpan.FromHours(7));
        _sources.PricingUp = _sources.AdvisorUp = false;

        var restarted = NewFeed();
        var fallback = await restarted.GetReferenceAsync("us-east-1", CancellationToken.None);

        Assert.Equal(types.ToDictionary(t => t.Name, t => (double)(t.UsdPerHour * 1.10m)), fallback.OnDemandPrices);
        Assert.Equal(AdvisorFile().BucketsFor("us-east-1"), fallback.Buckets);
        Assert.Equal(types.Length, fallback.Types.Count);
        var priceList = Report(restarted, MarketFeedNames.OnDemandPrices);
        Assert.Equal(FeedState.Degraded, priceList.State);
        Assert.Equal(fetchedAt, priceList.LastGoodAt);
        Assert.Contains("503", priceList.Detail);
        Assert.Equal(FeedState.Degraded, Report(restarted, MarketFeedNames.SpotAdvisor).State);

        _sources.PricingUp = _sources.AdvisorUp = true;
        var fresh = await restarted.GetReferenceAsync("us-east-1", CancellationToken.None);
        Assert.Equal(types.ToDictionary(t => t.Name, t => (double)t.UsdPerHour), fresh.OnDemandPrices);
        Assert.All(restarted.Reports, r => Assert.Equal(new { State = FeedState.Healthy, At = (DateTimeOffset?)_clock.GetUtcNow() }, new { r.State, At = r.LastGoodAt }));
    }

    [Fact]
    public async Task Reference_NoSourceAndNoCopy_Unavailable()
    {
        _sources.PricingUp = _sources.AdvisorUp = false;
        var feed = NewFeed();

        var error = await Assert.ThrowsAsync<CloudException>(() => feed.GetReferenceAsync("us-east-1", CancellationToken.None));

        Assert.Equal(CloudErrorCodes.Unavailable, error.Code);
        var report = Report(feed, MarketFeedNames.OnDemandPrices);
        Assert.Equal((FeedState.Unavailable, (DateTimeOffset?)null), (report.State, report.LastGoodAt));
    }

    [SkippableFact]
    public async Task Reference_UnreadablePriceList_KeepsTheLastGoodCopy()
    {
        var types = ServeDataPack();
        var feed = NewFeed();
        await feed.GetReferenceAsync("us-east-1", CancellationToken.None);
        _clock.Advance(TimeSpan.FromHours(6));
        _sources.PriceList = "{\"products\": {\"SKU1\": {\"attributes\": "u8.ToArray();

        var reference = await feed.GetReferenceAsync("us-east-1", CancellationToken.None);

        Assert.Equal(types.ToDictionary(t => t.Name, t => (double)(t.UsdPerHour * 1.10m)), reference.OnDemandPrices);
        Assert.Equal(FeedState.Degraded, Report(feed, MarketFeedNames.OnDemandPrices).State);
        Assert.Equal(FeedState.Healthy, Report(feed, MarketFeedNames.SpotAdvisor).State);
    }

    [SkippableFact]
    public async Task Reference_CacheDirectoryUnwritable_FreshCopyServed_ReportSaysItWasNotCached()
    {
        var types = ServeDataPack();
        await File.WriteAllTextAsync(_cache, "a file where the cache directory should be");
        var feed = NewFeed();

        var reference = await feed.GetReferenceAsync("us-east-1", CancellationToken.None);

        Assert.Equal(types.ToDictionary(t => t.Name, t => (double)t.UsdPerHour), reference.OnDemandPrices);
        var report = Report(feed, MarketFeedNames.OnDemandPrices);
        Assert.Equal((FeedState.Healthy, (DateTimeOffset?)_clock.GetUtcNow()), (report.State, report.LastGoodAt));
        Assert.Contains("could not be cached", report.Detail);
    }

    private PackType[] ServeDataPack()
    {
        var types = PriceListFile.Types(TypeNames).ToArray();
        Assert.Equal(TypeNames.Length, types.Length);
        _sources.PriceList = PriceListFile.Build(types);
        _sources.Advisor = File.ReadAllBytes(AdvisorPath());
        return types;
    }

    private static string AdvisorPath() => Path.Combine(DataPack.Require("spot-advisor/spot-advisor-data.json"), "spot-advisor", "spot-advisor-data.json");

    private static SpotAdvisorSnapshot AdvisorFile()
    {
        using var stream = File.OpenRead(AdvisorPath());
        return SpotAdvisorParser.Parse(stream);
    }

    private static FeedReport Report(AwsMarketFeed feed, string name) => feed.Reports.Single(r => r.Feed == name);

    private AwsMarketFeed NewFeed(int retries = 0)
    {
        var feed = new AwsMarketFeed(_sources.MarketOptions(_cache), _sources.CloudOptions(retries), _clock, NullLogger<AwsMarketFeed>.Instance);
        _feeds.Add(feed);
        return feed;
    }
}

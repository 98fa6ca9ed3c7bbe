using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Orleans;
using SpotOptimizer.Cloud;
using SpotOptimizer.Cloud.Aws;
using SpotOptimizer.Grains.Interfaces.Market;
using SpotOptimizer.Optimization.Market;

namespace SpotOptimizer.Grains.Market.Aws;

/// <summary>
/// The AWS provider's market feed, from AWS's public sources: Spot prices from EC2 DescribeSpotPriceHistory (our own
/// credentials), On-Demand prices and the instance-type catalog from the Price List Bulk API, interruption buckets
/// from the Spot Advisor's JSON. Each source's health goes to <see cref="IMarketFeedHealthGrain"/> (and
/// <see cref="Reports"/>) after every refresh.
/// </summary>
public sealed partial class AwsMarketFeed : IMarketFeed, IDisposable
{
    /// <summary>The seed's L2 rule (SVC-PRICE fails): the last known price plus a 10% buffer.</summary>
    public const decimal FallbackBuffer = 0.10m;

    private static readonly JsonSerializerOptions CacheJson = new(JsonSerializerDefaults.Web);

    private readonly AwsMarketOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<AwsMarketFeed> _logger;
    private readonly IGrainFactory? _grains;
    private readonly HttpClient _http;
    private readonly FeedCache _cache;
    private readonly PlatformEc2 _ec2;
    private readonly SpotPriceSweep _sweep;
    private readonly ReferenceSource<AdvisorCopy> _advisor;
    private readonly ConcurrentDictionary<string, ReferenceSource<IReadOnlyList<PriceListEntry>>> _priceLists = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Fetched<IReadOnlyList<SpotPrice>>> _spotPrices = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Feed, string? Region), FeedReport> _reports = new();

    /// <param name="grains">The cluster, in a silo; null where no one reads the reports but <see cref="Reports"/>.</param>
    /// <param name="meterFactory">Where the AWS calls' meter comes from (the host's, as the cloud provider's); a meter of its own when null.</param>
    public AwsMarketFeed(AwsMarketOptions options, AwsCloudOptions aws, TimeProvider time, ILogger<AwsMarketFeed> logger, IGrainFactory? grains = null,
        IMeterFactory? meterFactory = null)
    {
        _options = options;
        _time = time;
        _logger = logger;
        _grains = grains;
        // One long-lived client; the pool's lifetime lets it follow DNS changes of the public endpoints.
        _http = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.All, PooledConnectionLifetime = TimeSpan.FromMinutes(15) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _cache = new FeedCache(options.CacheDirectory);
        Metrics = new AwsMetrics(meterFactory);
        _ec2 = new PlatformEc2(aws, Metrics, time, logger);
        _sweep = new SpotPriceSweep(_ec2);
        _advisor = new ReferenceSource<AdvisorCopy>(MarketFeedNames.SpotAdvisor, null, options.SpotAdvisorUrl, "spot-advisor-data.json",
            new SourceFormat<AdvisorCopy>(AdvisorCopy.Read, copy => copy.Raw, raw => AdvisorCopy.Read(new MemoryStream(raw))),
            _http, _cache, options, time, Report);
    }

    /// <summary>Our own EC2 calls (Spot prices, our zones), counted as every AWS call is.</summary>
    public AwsMetrics Metrics { get; }

    /// <summary>The latest report of each feed and region.</summary>
    public IReadOnlyCollection<FeedReport> Reports => [.. _reports.Values];

    public async Task<IReadOnlyList<SpotPrice>> GetSpotPricesAsync(string region, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (_spotPrices.TryGetValue(region, out var last) && !last.Fallback && now - last.FetchedAt < _options.SpotPriceInterval) return last.Value;
        try
        {
            var prices = await _sweep.CurrentPricesAsync(region, now, cancellationToken);
            _spotPrices[region] = new Fetched<IReadOnlyList<SpotPrice>>(prices, now, false);
            Report(new FeedReport(MarketFeedNames.SpotPrices, region, FeedState.Healthy, now, null));
            return prices;
        }
        catch (CloudException exception)
        {
            // The market keeps its last known prices, marked stale, and decisions add the buffer (L2): degraded, not gone.
            if (last is not null) _spotPrices[region] = last with { Fallback = true };
            Report(new FeedReport(MarketFeedNames.SpotPrices, region, last is null ? FeedState.Unavailable : FeedState.Degraded, last?.FetchedAt, exception.Message));
            throw;
        }
    }

    /// <summary>
    /// The region's price list and the Spot Advisor. A price list served from the last good copy (the source
    /// failed) carries the L2 buffer: every On-Demand price + <see cref="FallbackBuffer"/>.
    /// </summary>
    public async Task<MarketReference> GetReferenceAsync(string region, CancellationToken cancellationToken)
    {
        var priceList = await PriceList(region).GetAsync(cancellationToken);
        var advisor = await _advisor.GetAsync(cancellationToken);
        var markup = priceList.Fallback ? 1 + FallbackBuffer : 1;
        var types = priceList.Value.Select(e => e.ToTypeInfo()).ToList();
        var onDemand = priceList.Value.ToDictionary(e => e.InstanceType, e => (double)(e.UsdPerHour * markup), StringComparer.Ordinal);
        var buckets = advisor.Value.Snapshot.BucketsFor(region);
        return new MarketReference(types, onDemand, buckets, advisor.Fallback ? "spot-advisor (last good copy)" : "spot-advisor")
        {
            Zones = await ZonesAsync(region, cancellationToken),
        };
    }

    /// <summary>
    /// The platform account's zone IDs, which translate tenants' zone names into the prices' names. Without them the
    /// market still serves, and names are taken as everyone's until the next refresh reads them.
    /// </summary>
    private async Task<IReadOnlyList<AvailabilityZone>?> ZonesAsync(string region, CancellationToken cancellationToken)
    {
        try
        {
            return await _sweep.ZonesAsync(region, cancellationToken);
        }
        catch (CloudException exception)
        {
            LogZonesUnavailable(_logger, exception, region);
            return null;
        }
    }

    public void Dispose()
    {
        _ec2.Dispose();
        Metrics.Dispose();
        _advisor.Dispose();
        foreach (var source in _priceLists.Values) source.Dispose();
        _http.Dispose();
    }

    private ReferenceSource<IReadOnlyList<PriceListEntry>> PriceList(string region) => _priceLists.GetOrAdd(region, r =>
        new ReferenceSource<IReadOnlyList<PriceListEntry>>(MarketFeedNames.OnDemandPrices, r, _options.OnDemandPriceListUrl.Replace("{region}", r, StringComparison.Ordinal),
            $"ondemand-prices-{r}.json",
            new SourceFormat<IReadOnlyList<PriceListEntry>>(
                stream => OnDemandPriceList.Parse(stream, r),
                entries => JsonSerializer.SerializeToUtf8Bytes(entries, CacheJson),
                bytes => JsonSerializer.Deserialize<List<PriceListEntry>>(bytes, CacheJson) ?? throw new FormatException("Empty price list cache.")),
            _http, _cache, _options, _time, Report));

    private void Report(FeedReport report)
    {
        _reports[(report.Feed, report.Region)] = report;
        if (report.State != FeedState.Healthy) LogFeedNotHealthy(_logger, report.Feed, report.Region ?? "all regions", report.State, report.Detail);
        _grains?.GetGrain<IMarketFeedHealthGrain>(IMarketFeedHealthGrain.Key).Report(report).Ignore();
    }

    [LoggerMessage(2, LogLevel.Warning, "Zone IDs of {Region} could not be read; zone names are taken as every account's until the next refresh")]
    private static partial void LogZonesUnavailable(ILogger logger, Exception exception, string region);

    [LoggerMessage(1, LogLevel.Warning, "Market feed {Feed} ({Region}) is {State}: {Detail}")]
    private static partial void LogFeedNotHealthy(ILogger logger, string feed, string region, FeedState state, string? detail);

    /// <summary>The advisor's file as fetched (what the cache keeps) and parsed.</summary>
    private sealed record AdvisorCopy(byte[] Raw, SpotAdvisorSnapshot Snapshot)
    {
        public static AdvisorCopy Read(Stream stream)
        {
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var raw = buffer.ToArray();
            return new AdvisorCopy(raw, SpotAdvisorParser.Parse(new MemoryStream(raw)));
        }
    }
}

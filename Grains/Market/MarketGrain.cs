using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpotOptimizer.Cloud;
using SpotOptimizer.Grains.Interfaces.Market;
using SpotOptimizer.Optimization.Market;
using Orleans;
using Orleans.Runtime;

namespace SpotOptimizer.Grains.Market;

public sealed partial class MarketGrain(
    [PersistentState("market")] IPersistentState<MarketState> state,
    IMarketFeed feed,
    IOptions<MarketOptions> options,
    TimeProvider time,
    LoopFailures failures,
    ILogger<MarketGrain> logger) : Grain, IMarketGrain, IRemindable
{
    public const string PriceReminder = "spot-prices";
    public const string AdvisorReminder = "spot-advisor";

    private MarketQuotes? _snapshot;
    private IGrainTimer? _firstLoadRetry;

    private string Region => this.GetPrimaryKeyString();

    public async Task Start()
    {
        if (await this.GetReminder(PriceReminder) is null) await this.RegisterOrUpdateReminder(PriceReminder, options.Value.PriceRefresh, options.Value.PriceRefresh);
        if (await this.GetReminder(AdvisorReminder) is null) await this.RegisterOrUpdateReminder(AdvisorReminder, options.Value.AdvisorRefresh, options.Value.AdvisorRefresh);
        if (state.State.AdvisorAt is null) await RefreshAdvisor();
        if (state.State.PricesAt is null) await RefreshPrices();
        // A market that could not load at start (its sources not reachable yet, e.g. a host serving them itself) must
        // not wait a whole reminder period: it retries soon, until both have loaded once.
        if ((state.State.AdvisorAt is null || state.State.PricesAt is null) && _firstLoadRetry is null)
            _firstLoadRetry = this.RegisterGrainTimer(_ => RetryFirstLoadAsync(), options.Value.FirstLoadRetry, options.Value.FirstLoadRetry);
    }

    private async Task RetryFirstLoadAsync()
    {
        if (state.State.AdvisorAt is null) await RefreshAdvisor();
        if (state.State.PricesAt is null) await RefreshPrices();
        if (state.State.AdvisorAt is null || state.State.PricesAt is null) return;
        _firstLoadRetry?.Dispose();
        _firstLoadRetry = null;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => reminderName switch
    {
        PriceReminder => RefreshPrices(),
        AdvisorReminder => RefreshAdvisor(),
        _ => Task.CompletedTask,
    };

    public async Task<FeedRefresh> RefreshPrices()
    {
        var now = time.GetUtcNow();
        IReadOnlyList<SpotPrice> prices;
        try
        {
            prices = await feed.GetSpotPricesAsync(Region, CancellationToken.None);
        }
        catch (Exception exception) when (exception is CloudException or IOException or HttpRequestException)
        {
            // L2: keep every last known price, marked stale; decisions add the buffer until a fresh value arrives.
            failures.Record(LoopFailures.MarketFeed);
            LogFeedFailed(logger, exception, Region, "spot prices");
            foreach (var pool in state.State.Pools.Values) pool.Stale = true;
            state.State.PricesError = exception.Message;
            await SaveAsync();
            return new FeedRefresh(false, 0, exception.Message, now);
        }

        var fresh = new HashSet<string>(StringComparer.Ordinal);
        foreach (var price in prices)
        {
            var key = $"{price.AvailabilityZone}/{price.InstanceType}";
            if (!state.State.Pools.TryGetValue(key, out var pool)) state.State.Pools[key] = pool = new PoolPrices();
            pool.Record((double)price.PricePerHour, now, options.Value.HistoryHours);
            fresh.Add(key);
        }

        foreach (var (key, pool) in state.State.Pools)
        {
            if (!fresh.Contains(key)) pool.Stale = true;
        }

        state.State.PricesAt = now;
        state.State.PricesError = null;
        await SaveAsync();
        return new FeedRefresh(true, fresh.Count, null, now);
    }

    public async Task<FeedRefresh> RefreshAdvisor()
    {
        var now = time.GetUtcNow();
        try
        {
            var reference = await feed.GetReferenceAsync(Region, CancellationToken.None);
            state.State.Types = [.. reference.Types.Select(MarketQuotesMapping.ToSpec)];
            state.State.OnDemandPrices = new(reference.OnDemandPrices, StringComparer.Ordinal);
            state.State.Buckets = new(reference.Buckets, StringComparer.Ordinal);
            state.State.AdvisorSource = reference.Source;
            if (reference.Zones is { Count: > 0 } zones) state.State.ZoneIds = zones.ToDictionary(z => z.ZoneName, z => z.ZoneId, StringComparer.Ordinal);
            state.State.AdvisorAt = now;
            state.State.AdvisorError = null;
            await SaveAsync();
            return new FeedRefresh(true, reference.Buckets.Count, null, now);
        }
        catch (Exception exception) when (exception is CloudException or IOException or FormatException or System.Text.Json.JsonException)
        {
            // The last known buckets stay in use; the status says they are stale.
            failures.Record(LoopFailures.MarketFeed);
            LogFeedFailed(logger, exception, Region, "spot advisor");
            state.State.AdvisorError = exception.Message;
            await SaveAsync();
            return new FeedRefresh(false, 0, exception.Message, now);
        }
    }

    public Task<MarketQuotes?> GetSnapshot()
    {
        if (state.State.PricesAt is null || state.State.Types.Count == 0) return Task.FromResult<MarketQuotes?>(null);
        return Task.FromResult<MarketQuotes?>(_snapshot ??= BuildSnapshot());
    }

    public Task<MarketStatus> GetStatus()
    {
        var s = state.State;
        return Task.FromResult(new MarketStatus(Region, s.PricesAt, s.PricesError is not null, s.PricesError, s.AdvisorAt, s.AdvisorError is not null, s.AdvisorError,
            s.Pools.Count, s.Pools.Values.Count(p => p.Stale)));
    }

    private MarketQuotes BuildSnapshot()
    {
        var s = state.State;
        var types = s.Types.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var quotes = new List<PoolQuoteView>(s.Pools.Count);
        foreach (var (key, prices) in s.Pools.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var slash = key.IndexOf('/', StringComparison.Ordinal);
            if (!types.TryGetValue(key[(slash + 1)..], out var type)) continue;
            quotes.Add(new PoolQuoteView(key[..slash], type.Name, prices.Price,
                s.OnDemandPrices.TryGetValue(type.Name, out var od) ? od : null,
                s.Buckets.TryGetValue(type.Name, out var bucket) ? bucket : null,
                [.. prices.Hourly], prices.Stale));
        }

        var offers = s.Types.Where(t => s.OnDemandPrices.ContainsKey(t.Name)).OrderBy(t => t.Name, StringComparer.Ordinal)
            .Select(t => new OnDemandQuote(t.Name, s.OnDemandPrices[t.Name])).ToList();
        return new MarketQuotes(Region, s.PricesAt!.Value, s.Types, quotes, offers, s.ZoneIds.Count > 0 ? s.ZoneIds : null);
    }

    private async Task SaveAsync()
    {
        _snapshot = null;
        await state.WriteStateAsync();
    }

    public Task<IReadOnlyDictionary<string, string>> GetZoneIds() => Task.FromResult<IReadOnlyDictionary<string, string>>(state.State.ZoneIds);

    public Task<PoolPriceHistory?> GetPoolPrices(string availabilityZone, string instanceType, int hours)
    {
        if (!state.State.Pools.TryGetValue($"{availabilityZone}/{instanceType}", out var pool)) return Task.FromResult<PoolPriceHistory?>(null);
        var recent = pool.Hourly.TakeLast(hours).ToList();
        var firstHour = pool.LastHour - recent.Count + 1;
        return Task.FromResult<PoolPriceHistory?>(new PoolPriceHistory(pool.Price, pool.Stale,
            [.. recent.Select((price, i) => new PoolPricePoint(DateTimeOffset.FromUnixTimeSeconds((firstHour + i) * 3600), price))]));
    }

    [LoggerMessage(1, LogLevel.Warning, "Market feed ({Feed}) for {Region} failed; last known values stay in use, marked stale")]
    private static partial void LogFeedFailed(ILogger logger, Exception exception, string region, string feed);
}

using SpotOptimizer.Grains.Interfaces.Market;

namespace SpotOptimizer.Grains.Market;

public static class MarketReading
{
    /// <summary>
    /// The region's quotes, starting its market if nothing has yet (the first job, KPI or recommendation in a region
    /// may come before any feed ran); null while it still has no prices.
    /// </summary>
    public static async Task<MarketQuotes?> QuotesAsync(this IMarketGrain market)
    {
        if (await market.GetSnapshot() is { } quotes) return quotes;
        await market.Start();
        return await market.GetSnapshot();
    }
}

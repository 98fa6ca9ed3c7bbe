using SpotOptimizer.Grains.Interfaces.Market;
using Orleans;

namespace SpotOptimizer.Grains.Market;

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed class MarketState
{
    /// <summary>Pools by "zone/type": the last known price and its hourly history.</summary>
    public Dictionary<string, PoolPrices> Pools { get; set; } = new(StringComparer.Ordinal);

    public DateTimeOffset? PricesAt { get; set; }

    public string? PricesError { get; set; }

    public List<InstanceTypeSpec> Types { get; set; } = [];

    public Dictionary<string, double> OnDemandPrices { get; set; } = new(StringComparer.Ordinal);

    public Dictionary<string, int> Buckets { get; set; } = new(StringComparer.Ordinal);

    public string? AdvisorSource { get; set; }

    public DateTimeOffset? AdvisorAt { get; set; }

    public string? AdvisorError { get; set; }

    /// <summary>The feed's zone names → zone IDs, refreshed with the reference data; empty until the feed says.</summary>
    public Dictionary<string, string> ZoneIds { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>One pool's prices. <see cref="Stale"/>: the last refresh did not bring a fresh price for it.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed class PoolPrices
{
    public double Price { get; set; }

    public DateTimeOffset At { get; set; }

    public bool Stale { get; set; }

    /// <summary>Hourly prices, oldest first; the last entry is the current hour's latest price.</summary>
    public List<double> Hourly { get; set; } = [];

    /// <summary>The hour (since the epoch) of the last entry of <see cref="Hourly"/>.</summary>
    public long LastHour { get; set; }

    /// <summary>Records a fresh price: it replaces the current hour's entry, and hours with no refresh repeat the price before them.</summary>
    public void Record(double price, DateTimeOffset at, int keepHours)
    {
        var hour = at.ToUnixTimeSeconds() / 3600;
        if (Hourly.Count == 0) Hourly.Add(price);
        else if (hour > LastHour)
        {
            var gap = (int)Math.Min(hour - LastHour - 1, keepHours);
            for (var i = 0; i < gap; i++) Hourly.Add(Hourly[^1]);
            Hourly.Add(price);
        }
        else Hourly[^1] = price;

        if (Hourly.Count > keepHours) Hourly.RemoveRange(0, Hourly.Count - keepHours);
        LastHour = Math.Max(LastHour, hour);
        Price = price;
        At = at;
        Stale = false;
    }
}

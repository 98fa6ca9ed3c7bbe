using SpotOptimizer.Optimization.Market;

namespace SpotOptimizer.Optimization.Risk;

/// <summary>
/// Per-type facts the contract input does not carry but the risk models need: the On-Demand price (to express the
/// Spot price as a discount) and the Spot Advisor bucket (0..4). Production fills it from the live feeds.
/// </summary>
public sealed record RiskReferenceData(IReadOnlyDictionary<string, double> OnDemandPrices, IReadOnlyDictionary<string, int> Buckets)
{
    public static RiskReferenceData Empty { get; } = new(new Dictionary<string, double>(), new Dictionary<string, int>());

    /// <summary>What a region's market knows: its On-Demand prices and, per type, the Spot Advisor bucket of its first quoted pool.</summary>
    public static RiskReferenceData Of(MarketSnapshot market) => new(
        market.OnDemand.ToDictionary(o => o.Type.Name, o => o.PricePerHour, StringComparer.Ordinal),
        market.Pools.Where(p => p.Bucket is not null).GroupBy(p => p.Type.Name).ToDictionary(g => g.Key, g => g.First().Bucket!.Value, StringComparer.Ordinal));

    public double? OnDemandPrice(string? instanceType) => instanceType is not null && OnDemandPrices.TryGetValue(instanceType, out var price) ? price : null;

    public int? Bucket(string? instanceType) => instanceType is not null && Buckets.TryGetValue(instanceType, out var bucket) ? bucket : null;
}

namespace SpotOptimizer.Optimization.Risk;

/// <summary>
/// Per-type facts the contract input does not carry but the risk models need: the On-Demand price (to express the
/// Spot price as a discount) and the Spot Advisor bucket (0..4). Production fills it from the live feeds.
/// </summary>
public sealed record RiskReferenceData(IReadOnlyDictionary<string, double> OnDemandPrices, IReadOnlyDictionary<string, int> Buckets)
{
    public static RiskReferenceData Empty { get; } = new(new Dictionary<string, double>(), new Dictionary<string, int>());

    public double? OnDemandPrice(string? instanceType) => instanceType is not null && OnDemandPrices.TryGetValue(instanceType, out var price) ? price : null;

    public int? Bucket(string? instanceType) => instanceType is not null && Buckets.TryGetValue(instanceType, out var bucket) ? bucket : null;
}

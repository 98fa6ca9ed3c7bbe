using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Risk;

namespace SpotOptimizer.Optimization.Tests.Risk;

/// <summary>Hand-made artifacts and synthetic markets for model tests.</summary>
internal static class TestModels
{
    public static RiskReferenceData Reference { get; } = new(
        new Dictionary<string, double> { ["c5.xlarge"] = 0.17, ["m5.large"] = 0.096, ["r5.large"] = 0.126 },
        new Dictionary<string, int> { ["c5.xlarge"] = 0, ["m5.large"] = 1, ["r5.large"] = 4 });

    /// <summary>A valid artifact whose only non-zero weight is on the recent jump (log price / 24 h minimum).</summary>
    public static InterruptionModelArtifact Artifact(double jumpWeight = 2.0, string version = "test-1.0.0") => new(
        InterruptionModelArtifact.FormatName,
        InterruptionModelArtifact.LogisticRegression,
        version,
        InterruptionContract.Version,
        RiskFeatures.FeatureSet,
        RiskFeatures.Names.Select(n => new ArtifactFeature(n, 0, n == "log_price_to_min_24h" ? 0.05 : 1, n == "log_price_to_min_24h" ? jumpWeight : 0)).ToList(),
        -3,
        LabelDefinition.PriceRise(),
        new OutputMapping(OutputMapping.AdvisorProportionalHazard, 0.05, 0.2, 8),
        new TrainingRecord("hand-made", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddDays(1), 0, 0, 0, 1, 1, 0),
        null);

    /// <summary>
    /// Pools whose price random-walks with momentum: after a rise, further rises are likelier; seeded, so the same
    /// book every run. Half the pools move often, half rarely.
    /// </summary>
    public static SpotPriceBook MomentumMarket(int pools, int hours, int seed)
    {
        var random = new Random(seed);
        var start = new DateTimeOffset(2021, 3, 1, 0, 0, 0, TimeSpan.Zero);
        var points = new List<SpotPricePoint>();
        for (var p = 0; p < pools; p++)
        {
            var price = 0.05 + random.NextDouble() * 0.05;
            var drift = 0.0;
            var moveChance = p % 2 == 0 ? 0.3 : 0.03;
            for (var h = 0; h < hours; h++)
            {
                if (h == 0 || random.NextDouble() < moveChance)
                {
                    drift = 0.7 * drift + (random.NextDouble() - 0.5) * 0.02;
                    price = Math.Max(0.01, price * (1 + drift));
                    points.Add(new SpotPricePoint($"az{p % 3}", $"m5.{p}xlarge", "Linux/UNIX", Math.Round(price, 5), start.AddHours(h)));
                }
            }
        }

        return SpotPriceBook.FromPoints(points);
    }
}

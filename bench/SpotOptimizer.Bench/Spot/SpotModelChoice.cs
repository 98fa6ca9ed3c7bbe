using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Risk;
using SpotOptimizer.Optimization.Training;

namespace SpotOptimizer.Bench.Spot;

/// <summary>
/// `spot --model fasttree|lightgbm`: trains that tree model on the same split and label as the logistic one, writes
/// its artifact zip if asked, and loads it back through the product's loader (manifest check, contract probe), so
/// the replay runs the model exactly as the product would serve it.
/// </summary>
internal static class SpotModelChoice
{
    /// <summary>The version tree artifacts trained by the benchmark carry.</summary>
    public const string Version = "2.0.0";

    public static InterruptionModelKind Kind(string model) => model switch
    {
        "logistic" => InterruptionModelKind.Logistic,
        "fasttree" => InterruptionModelKind.FastTree,
        "lightgbm" => InterruptionModelKind.LightGbm,
        _ => throw new ArgumentException($"unknown model '{model}'", nameof(model)),
    };

    public static ModelTrainingOptions TrainingOptions(SpotOptions options, string version) =>
        new(version, $"{Path.GetFileName(options.Prices)}, advisor {options.Advisor}, region {options.Region}", LabelDefinition.PriceRise());

    public static (RiskAssessor Risk, IReadOnlyList<string> Errors) TreeRisk(SpotOptions options, HourlyPriceGrid grid, RiskReferenceData reference, DateTimeOffset split, Action<string> progress)
    {
        var kind = Kind(options.Model);
        progress($"training {options.Model} on the same split and label");
        var outcome = TreeInterruptionModelTraining.Train(grid, reference, split, TrainingOptions(options, Version), kind, new TreeTrainingOptions(Seed: 1));
        var zip = outcome.Artifact.ToZip();
        if (options.WriteModel is { } path) File.WriteAllBytes(path, zip);
        var load = TreeInterruptionModelLoader.Load(new MemoryStream(zip), reference);
        return (new RiskAssessor(load.Model, reference, load.Loaded ? null : "model artifact rejected: " + string.Join("; ", load.Errors)), load.Errors);
    }
}

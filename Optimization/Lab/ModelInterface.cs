using SpotOptimizer.Optimization.Risk;

namespace SpotOptimizer.Optimization.Lab;

/// <summary>
/// What an uploaded interruption model must look like to the Lab. Both formats see the same rows: contract v1.0
/// requests turned into the <c>pool-price-v1</c> features (<see cref="RiskFeatures.Names"/>, in that order, k = 13),
/// computed without On-Demand prices or Spot Advisor buckets (their "unknown" flags are 1), as float32.
/// <list type="bullet">
/// <item>ONNX: input <c>features</c> float[N, 13]; output <c>probability</c> float[N] or float[N, 1], and optionally
/// <c>confidence</c> of the same shape. Without <c>confidence</c>, the confidence is the history's window coverage.</item>
/// <item>ML.NET zip: a transformer that reads a float vector column <c>Features</c> of size 13 and writes a float
/// column <c>Probability</c> (what ML.NET's binary classifiers produce).</item>
/// </list>
/// The recommended action is always derived from the probability by contract v1.0's thresholds.
/// </summary>
public static class ModelInterface
{
    public const string OnnxInput = "features";
    public const string OnnxProbability = "probability";
    public const string OnnxConfidence = "confidence";
    public const string MlNetFeatures = "Features";
    public const string MlNetProbability = "Probability";

    public static int FeatureCount => RiskFeatures.Count;

    /// <summary>The rows a model sees for <paramref name="requests"/>: row-major float[N × k] of <see cref="RiskFeatures"/>, without reference data.</summary>
    public static float[] Features(IReadOnlyList<InterruptionPredictionRequest> requests)
    {
        var k = RiskFeatures.Count;
        var matrix = new float[requests.Count * k];
        Span<double> row = stackalloc double[k];
        for (var i = 0; i < requests.Count; i++)
        {
            var f = requests[i].Features;
            RiskFeatures.Compute([.. f.SpotPriceHistory], null, null, f.HourOfDay, f.DayOfWeek, row);
            for (var j = 0; j < k; j++) matrix[i * k + j] = (float)row[j];
        }

        return matrix;
    }
}

/// <summary>The two model formats the Lab accepts.</summary>
public static class ModelFormats
{
    public const string Onnx = "onnx";
    public const string MlNetZip = "mlnet_zip";

    /// <summary>A zip (ML.NET's format) starts with "PK\x03\x04"; anything else is tried as ONNX protobuf.</summary>
    public static string Detect(ReadOnlySpan<byte> head) =>
        head.Length >= 4 && head[0] == (byte)'P' && head[1] == (byte)'K' && head[2] == 3 && head[3] == 4 ? MlNetZip : Onnx;
}

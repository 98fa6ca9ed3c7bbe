using SpotOptimizer.Optimization.Risk;

namespace SpotOptimizer.Optimization.Lab;

/// <summary>
/// The rows an uploaded model answers in the sandbox: the seed's probe (MOD-VAL-01 "Feed test input vector") and a
/// fixed spread of pools, hours, days and price paths (calm, rising, spiking, short histories), so a model that only
/// behaves on the probe still fails. Deterministic: the same model gets the same scores on every upload.
/// </summary>
public static class ModelTrialBatch
{
    public const int Size = 64;

    public static IReadOnlyList<InterruptionPredictionRequest> Requests { get; } = Build();

    private static List<InterruptionPredictionRequest> Build()
    {
        string[] types = ["c5.xlarge", "m5.large", "r6g.2xlarge", "p3.2xlarge"];
        string[] zones = ["us-east-1a", "us-east-1b", "eu-west-1c"];
        var requests = new List<InterruptionPredictionRequest> { InterruptionContract.Probe };
        for (var i = 1; i < Size; i++)
        {
            var hours = i % 4 == 0 ? 3 : 24 + (i * 17) % 145;
            var history = new double[hours];
            var basePrice = 0.05 + 0.07 * (i % 9);
            for (var h = 0; h < hours; h++)
            {
                var trend = i % 3 == 0 ? 1 + 0.004 * h : 1.0;
                var spike = i % 5 == 0 && h == hours - 1 ? 2.5 : 1.0;
                var wobble = 1 + 0.03 * Math.Sin(h * 0.7 + i);
                history[h] = Math.Round(basePrice * trend * spike * wobble, 5);
            }

            requests.Add(new InterruptionPredictionRequest(InterruptionContract.Version,
                new InterruptionFeatures(types[i % types.Length], zones[i % zones.Length], history, (i * 5) % 24, i % 7)));
        }

        return requests;
    }
}

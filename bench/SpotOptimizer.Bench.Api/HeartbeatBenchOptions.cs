using System.Globalization;

namespace SpotOptimizer.Bench.Api;

/// <param name="Warmup">Closed-loop load before the measured runs (tiered JIT, connections, activations).</param>
internal sealed record HeartbeatBenchOptions(TimeSpan Duration, int Workers, int Tenants, int Rate, TimeSpan Warmup)
{
    public static HeartbeatBenchOptions Parse(string[] args)
    {
        int Value(string name, int fallback)
        {
            var at = Array.IndexOf(args, name);
            return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
        }

        return new HeartbeatBenchOptions(TimeSpan.FromSeconds(Value("--seconds", 10)), Value("--workers", 16), Value("--tenants", 25), Value("--rate", 20_000),
            TimeSpan.FromSeconds(Value("--warmup", 30)));
    }
}

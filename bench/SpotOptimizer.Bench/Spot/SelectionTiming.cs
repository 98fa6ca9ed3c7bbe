using System.Diagnostics;
using SpotOptimizer.Optimization.Decision;
using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Risk;
using SpotOptimizer.Optimization.Selection;

namespace SpotOptimizer.Bench.Spot;

internal sealed record TimingResult(int Pools, int Iterations, double P50Micros, double P99Micros, double MaxMicros, string Notes);

/// <summary>
/// Times one selection over every pool of a region (all x86 families allowed, risk already assessed), and one full
/// decision (risk of every pool through the contract guard, then selection), each call timed with Stopwatch.
/// </summary>
internal static class SelectionTiming
{
    public static (TimingResult Selection, TimingResult Decision) Measure(MarketSnapshot snapshot, RiskAssessor risk, int iterations)
    {
        var families = snapshot.Pools.Select(p => p.Type.Family).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var workload = new WorkloadRequirements(200, 1, 2, CpuArchitecture.Amd64, families);
        var candidates = snapshot.Pools
            .Select(q => new PoolCandidate(q.Pool, q.Type, q.SpotPrice, risk.Assess(InterruptionContract.RequestFor(q.Pool.InstanceType, q.Pool.AvailabilityZone, q.HourlyHistory, snapshot.At)).Probability))
            .ToList();
        var flagged = candidates.Where((_, i) => i % 97 == 0).Select(c => c.Pool).ToHashSet();

        var selection = Time(iterations, () => SpotSelector.Select(workload, candidates, snapshot.OnDemand, flagged, SelectionPolicy.Default));
        var request = new SpotDecisionRequest(workload, snapshot, flagged, SelectionPolicy.Default, snapshot.At);
        var decision = Time(Math.Max(10, iterations / 10), () => SpotDecisionEngine.Decide(request, risk));
        return (selection with { Pools = candidates.Count }, decision with { Pools = candidates.Count });
    }

    private static TimingResult Time<T>(int iterations, Func<T> run)
    {
        for (var i = 0; i < Math.Max(50, iterations / 10); i++) GC.KeepAlive(run());
        // The replay leaves a large heap behind: collect it now, not during the timed calls.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var samples = new double[iterations];
        var before = ProcessCounters.Take();
        for (var i = 0; i < iterations; i++)
        {
            var start = Stopwatch.GetTimestamp();
            GC.KeepAlive(run());
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        var window = ProcessCounters.Take().Since(before);
        Array.Sort(samples);
        return new TimingResult(0, iterations, Percentile(samples, 0.50), Percentile(samples, 0.99), samples[^1], window.PerCall(iterations));
    }

    private static double Percentile(double[] sorted, double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
}

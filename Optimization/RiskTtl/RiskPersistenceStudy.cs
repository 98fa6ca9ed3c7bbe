namespace SpotOptimizer.Optimization.RiskTtl;

public sealed record RiskPersistenceOptions(
    TracePolarity Polarity,
    int WindowMinutes = 60,
    IReadOnlyList<int>? OffsetsMinutes = null,
    double ElevatedLift = 1.5)
{
    public static IReadOnlyList<int> DefaultOffsets { get; } = [5, 10, 15, 30, 45, 60, 90, 120, 180, 240, 360, 480, 720];

    public IReadOnlyList<int> Offsets => OffsetsMinutes ?? DefaultOffsets;
}

/// <summary>
/// Risk <see cref="OffsetMinutes"/> after a preemption: of the instances running then in the same pool, the share
/// preempted within the window (<see cref="ConditionalProbability"/>), against the same share at any running moment
/// (<see cref="BaselineProbability"/>).
/// </summary>
public sealed record PersistenceRow(int OffsetMinutes, int Samples, double ConditionalProbability, double BaselineProbability)
{
    public double Lift => BaselineProbability > 0 ? ConditionalProbability / BaselineProbability : double.NaN;
}

public sealed record RiskPersistenceReport(
    TracePolarity Polarity,
    int WindowMinutes,
    int Traces,
    int Preemptions,
    double TracedHours,
    double BaselineProbability,
    IReadOnlyList<PersistenceRow> Rows,
    double ElevatedLift,
    int? SupportedTtlMinutes,
    int? LeaveOneTraceOutMinTtl,
    int? LeaveOneTraceOutMaxTtl);

/// <summary>
/// How long a pool stays riskier after a preemption (the hive mind's TTL). A preemption is a tick where a running
/// instance stops running. For each offset Δ after a preemption at which an instance runs again in that pool, we
/// ask whether it is preempted within the next window, and compare with a running instance at a random moment.
/// The supported TTL is the first offset from which the lift stays below <see cref="RiskPersistenceOptions.ElevatedLift"/>
/// (null when it never does within the offsets measured). Counts are pooled over traces.
/// </summary>
public static class RiskPersistenceStudy
{
    public static RiskPersistenceReport Measure(IReadOnlyList<PreemptionTrace> traces, RiskPersistenceOptions options)
    {
        var counts = traces.Select(t => Count(t, options)).ToList();
        var report = Summarise(counts, options);
        int? min = null, max = null;
        if (traces.Count > 2)
        {
            for (var leftOut = 0; leftOut < counts.Count; leftOut++)
            {
                var ttl = Summarise(counts.Where((_, i) => i != leftOut).ToList(), options).SupportedTtlMinutes;
                var value = ttl ?? int.MaxValue;
                min = Math.Min(min ?? int.MaxValue, value);
                max = Math.Max(max ?? int.MinValue, value);
            }
        }

        return report with
        {
            LeaveOneTraceOutMinTtl = min == int.MaxValue ? null : min,
            LeaveOneTraceOutMaxTtl = max == int.MaxValue ? null : max,
        };
    }

    /// <summary>Preemption ticks of a trace: running at the previous tick, not running at this one.</summary>
    public static IReadOnlyList<int> Preemptions(bool[] running)
    {
        var events = new List<int>();
        for (var t = 1; t < running.Length; t++)
        {
            if (running[t - 1] && !running[t]) events.Add(t);
        }

        return events;
    }

    private sealed record TraceCounts(int Events, double Hours, long BaseHits, long BaseTotal, long[] Hits, long[] Totals);

    private static TraceCounts Count(PreemptionTrace trace, RiskPersistenceOptions options)
    {
        var running = trace.Running(options.Polarity);
        var events = Preemptions(running);
        var n = running.Length;
        var prefix = new int[n + 1];
        var next = 0;
        for (var t = 0; t < n; t++)
        {
            prefix[t + 1] = prefix[t] + (next < events.Count && events[next] == t ? 1 : 0);
            if (next < events.Count && events[next] == t) next++;
        }

        var window = Ticks(options.WindowMinutes, trace.GapSeconds);
        bool PreemptedWithin(int t) => prefix[t + window + 1] - prefix[t + 1] > 0;

        long baseHits = 0, baseTotal = 0;
        for (var t = 0; t + window + 1 <= n; t++)
        {
            if (!running[t]) continue;
            baseTotal++;
            if (PreemptedWithin(t)) baseHits++;
        }

        var offsets = options.Offsets;
        var hits = new long[offsets.Count];
        var totals = new long[offsets.Count];
        for (var o = 0; o < offsets.Count; o++)
        {
            var delta = Ticks(offsets[o], trace.GapSeconds);
            foreach (var e in events)
            {
                var t = e + delta;
                if (t + window + 1 > n || !running[t]) continue;
                totals[o]++;
                if (PreemptedWithin(t)) hits[o]++;
            }
        }

        return new TraceCounts(events.Count, trace.Hours, baseHits, baseTotal, hits, totals);
    }

    private static RiskPersistenceReport Summarise(IReadOnlyList<TraceCounts> counts, RiskPersistenceOptions options)
    {
        var baseTotal = counts.Sum(c => c.BaseTotal);
        var baseline = baseTotal > 0 ? (double)counts.Sum(c => c.BaseHits) / baseTotal : 0;
        var rows = options.Offsets.Select((offset, o) =>
        {
            var total = counts.Sum(c => c.Totals[o]);
            var conditional = total > 0 ? (double)counts.Sum(c => c.Hits[o]) / total : double.NaN;
            return new PersistenceRow(offset, (int)total, conditional, baseline);
        }).ToList();

        int? ttl = null;
        for (var i = rows.Count - 1; i >= 0; i--)
        {
            if (rows[i].Lift >= options.ElevatedLift) break;
            ttl = rows[i].OffsetMinutes;
        }

        // The risk is below the threshold already at the first offset: no elevation measured at all.
        if (ttl == rows.FirstOrDefault()?.OffsetMinutes) ttl = 0;
        // Still elevated at the last offset: the traces support at least that long, not a bound.
        return new RiskPersistenceReport(
            options.Polarity,
            options.WindowMinutes,
            counts.Count,
            counts.Sum(c => c.Events),
            counts.Sum(c => c.Hours),
            baseline,
            rows,
            options.ElevatedLift,
            ttl,
            null,
            null);
    }

    private static int Ticks(int minutes, int gapSeconds) => (int)Math.Round(minutes * 60.0 / gapSeconds);
}

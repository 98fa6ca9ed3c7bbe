using System.Diagnostics.Metrics;

namespace SpotOptimizer.Grains;

/// <summary>The product's own instruments, exported beside Orleans's (meter <see cref="MeterName"/>, scraped at /metrics).</summary>
public static class ProductMetrics
{
    public const string MeterName = "SpotOptimizer";

    private static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> LoopFailures =
        Meter.CreateCounter<long>("spotoptimizer.loop.failures", description: "Failed runs of the background loops, tagged by loop.");

    public static readonly Counter<long> Heartbeats =
        Meter.CreateCounter<long>("spotoptimizer.agent.heartbeats", description: "Agent heartbeats accepted.");

    public static readonly Counter<long> HiveReportsRefused =
        Meter.CreateCounter<long>("spotoptimizer.hive.reports_refused", description: "Agent interruption reports refused, tagged by reason (unknown_instance, rate_limited).");

    public static readonly Counter<long> HiveReports =
        Meter.CreateCounter<long>("spotoptimizer.hive.reports", description: "Interruption reports taken by pools, tagged by source and by whether they flagged the pool for everyone or the reporter only.");

    public static readonly Counter<long> ProactiveMoves =
        Meter.CreateCounter<long>("spotoptimizer.hive.proactive_moves", description: "Clusters told that a pool they run Spot nodes in was just flagged, tagged by the flag's reason code and by outcome (started, already_running, already_moved, not_in_pool, or the refusal: cluster_asleep, cluster_not_managed, ...).");

    public static readonly Counter<long> OptimizationJobs =
        Meter.CreateCounter<long>("spotoptimizer.optimization.jobs", description: "Optimization jobs finished, tagged by status.");
}

using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using SpotOptimizer.Grains;
using SpotOptimizer.Grains.Interfaces.Market;
using SpotOptimizer.Grains.Market;
using static SpotOptimizer.Bench.ResultTable;

namespace SpotOptimizer.Bench.HiveMind;

/// <summary>
/// `hivemind`: how long after a tenant's interruption report every other tenant's next decision sees the pool's flag
/// (SVC-RISK-GLB: within one second). One tenant's account reports interruptions into pools of a region one after another
/// as AWS EventBridge events (corroborated: the one source that flags a pool for everyone in a single report; a lone
/// agent's claim flags it for its own tenant only)
/// (`--reports`, over `--pools` pools); after each report returns, another caller reads the region's board — the
/// single call a decision makes — and the time from sending the report to the board answering with the pool flagged
/// is recorded. Meanwhile `--readers` loops stand for other tenants' decisions, each reading the board about every
/// millisecond.
/// The product's SpotPoolGrain, RiskBoardGrain and MarketGrain in one Orleans silo, with the product's grain services;
/// in-memory storage, called through the silo's grain factory.
/// </summary>
internal static class HiveMindBenchmark
{
    private const string Region = "us-east-1";
    private const double TargetMicros = 1_000_000;
    private static readonly string[] Zones = ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"];

    public static async Task<int> RunAsync(BenchArgs args)
    {
        var reports = args.Int("reports", 5_000, 1, 1_000_000);
        var pools = args.Int("pools", 1_200, 1, 100_000);
        var readers = args.Int("readers", 8, 0, 1_024);
        args.ThrowIfUnknown();
        if (!BenchEnvironment.Start("hivemind", args)) return 3;

        await using var silo = await BenchHost.StartSiloAsync(services => services
            .AddGrainServices()
            .AddSingleton<IMarketFeed, UnavailableMarketFeed>()); // no market is started: a pool's view finds no prices, as before the first refresh
        var grains = silo.Grains;
        var board = grains.GetGrain<IRiskBoardGrain>(Region);
        var keys = Enumerable.Range(0, pools).Select(PoolOf).ToArray();

        // Warm-up: every pool grain active and the code paths jitted, outside the measured window.
        foreach (var (zone, type) in keys.Take(Math.Min(pools, 200))) await ReportAsync(grains, zone, type, "warm");
        await board.GetFlags();

        using var stop = new CancellationTokenSource();
        var reads = new long[readers];
        var readerTasks = Enumerable.Range(0, readers).Select(r => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await board.GetFlags();
                reads[r]++;
                // A decision reads the board once per plan, not in a spin: about a thousand reads a second per loop
                // is already far beyond a region's real decision rate, without starving the reporter of threads.
                await Task.Delay(1, CancellationToken.None);
            }
        })).ToArray();

        var visible = new LatencyHistogram();
        var largestBoard = 0;
        var start = ProcessCounters.Take();
        for (var i = 0; i < reports; i++)
        {
            var (zone, type) = keys[i % pools];
            var sent = Stopwatch.GetTimestamp();
            await ReportAsync(grains, zone, type, $"i-{i:x12}");
            var flags = await board.GetFlags();
            visible.RecordTicks(Stopwatch.GetTimestamp() - sent);
            if (!flags.Any(f => f.AvailabilityZone == zone && f.InstanceType == type))
            {
                throw new InvalidOperationException($"report {i} returned but the board does not flag {zone}/{type}: the hive mind's promise is broken");
            }

            largestBoard = Math.Max(largestBoard, flags.Count);
        }

        var window = ProcessCounters.Take().Since(start);
        await stop.CancelAsync();
        await Task.WhenAll(readerTasks);

        var table = new ResultTable("Hive mind: a report, then another tenant's next read of the region's board");
        var p99 = visible.PercentileMicros(99);
        table.Add("Report → flag visible to every tenant", $"p50 {F(visible.PercentileMicros(50), 0)} µs, p99 {F(p99, 0)} µs, max {F(visible.MaxMicros, 0)} µs",
            "p99 < 1 s", p99 < TargetMicros,
            $"{window.NoiseWarning}{N0(reports)} reports over {N0(pools)} pools, every read found its flag; board up to {N0(largestBoard)} flags; {window.PerCall(reports)}");
        table.Add("Board reads by concurrent decisions", $"{N0(reads.Sum() / window.Elapsed.TotalSeconds)} reads/s", $"{readers} loops reading while the reports ran");
        table.Print();
        return table.Misses == 0 ? 0 : 1;
    }

    private static readonly string Reporter = HiveReporters.For("bench-tenant");

    private static Task<SpotPoolView> ReportAsync(IGrainFactory grains, string zone, string type, string instanceId) =>
        grains.GetGrain<ISpotPoolGrain>(SpotPoolKeys.For(Region, zone, type))
            .ReportInterruption(new InterruptionReport(instanceId, InterruptionKinds.Interruption, DateTimeOffset.UtcNow, Reporter, InterruptionSources.AwsEvent));

    /// <summary>Pool <paramref name="index"/>: a zone and a made-up type name, so any number of distinct pools exists.</summary>
    private static (string Zone, string Type) PoolOf(int index) => (Zones[index % Zones.Length], $"t{index / Zones.Length}.xlarge");
}

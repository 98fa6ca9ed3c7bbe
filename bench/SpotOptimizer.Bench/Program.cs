using SpotOptimizer.Bench;
using SpotOptimizer.Bench.RuntimeBench;

// A tiny dispatcher: one subcommand per benchmark, each in its own folder. Add spot allocation, bin-packing or
// API heartbeat benchmarks as new entries here.
var benchmarks = new Dictionary<string, (string Summary, Func<BenchArgs, Task<int>> Run)>(StringComparer.OrdinalIgnoreCase)
{
    ["runtime"] = ("Orleans grain calls: product-shaped vs raw grain, through the gateway, latency at a quarter of peak, memory per idle activation", RuntimeBenchmark.RunAsync),
    ["hivemind"] = ("a tenant's interruption report until every tenant's next decision sees the flag", SpotOptimizer.Bench.HiveMind.HiveMindBenchmark.RunAsync),
    ["spot"] = ("spot allocation replayed on real price history vs AWS strategies and an oracle; model, risk TTL, selection time", SpotOptimizer.Bench.Spot.SpotBenchmark.RunAsync),
    ["spot-models"] = ("interruption models side by side (logistic, FastTree, LightGBM) on the same time split: AUC, Brier, calibration, feature importance", SpotOptimizer.Bench.Spot.SpotModelsBenchmark.RunAsync),
    ["packing"] = ("MOD-PACK-01 bin-packing of 5,000 seeded pods vs the lower bound and first-fit-decreasing; time per packing", SpotOptimizer.Bench.Packing.PackingBenchmark.RunAsync),
};

if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    Console.WriteLine("usage: dotnet run -c Release --project bench/SpotOptimizer.Bench -- <benchmark> [options]");
    foreach (var (name, (summary, _)) in benchmarks) Console.WriteLine($"  {name,-10} {summary}");
    Console.WriteLine("options common to all: --allow-debug (run a Debug build anyway; numbers are meaningless)");
    Console.WriteLine("runtime options: --warmup <s, 20> --duration <s per round, 3> --rounds <pairs of ours/raw rounds, 4> --grains <10000> --callers <64>");
    Console.WriteLine("                 --idle-grains <100000> --seed <42> --latency-load <percent of the in-silo peak, 25>");
    Console.WriteLine("                 --wait-idle <s, 0>: first wait up to this long for the shared machine to go quiet");
    Console.WriteLine("                 --latency-attempts <2>: repeat a latency measurement disturbed by other processes");
    return args.Length == 0 ? 2 : 0;
}

if (!benchmarks.TryGetValue(args[0], out var benchmark))
{
    Console.Error.WriteLine($"unknown benchmark '{args[0]}'; known: {string.Join(", ", benchmarks.Keys)}");
    return 2;
}

BenchArgs options;
try
{
    options = BenchArgs.Parse(args.Skip(1));
}
catch (ArgumentException exception)
{
    Console.Error.WriteLine(exception.Message);
    return 2;
}

try
{
    return await benchmark.Run(options);
}
catch (ArgumentException exception)
{
    Console.Error.WriteLine(exception.Message);
    return 2;
}

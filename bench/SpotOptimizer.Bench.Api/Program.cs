using System.Diagnostics;
using System.Globalization;

namespace SpotOptimizer.Bench.Api;

/// <summary>
/// <c>dotnet run -c Release --project bench/SpotOptimizer.Bench.Api -- [--seconds 10] [--workers 16] [--tenants 25] [--rate 20000] [--warmup 30]</c>.
/// Not a top-level Program: the Api's global Program class is the app under test.
/// </summary>
public static class HeartbeatBenchmark
{
    public static async Task Main(string[] args)
    {
        var options = HeartbeatBenchOptions.Parse(args);
#if DEBUG
        Console.Error.WriteLine("WARNING: Debug build; run with -c Release for numbers worth reporting.");
#endif
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# API heartbeat benchmark ({Environment.ProcessorCount} cores, .NET {Environment.Version})"));
        var platform = await LoopbackPlatform.StartAsync();
        try
        {
            var agents = await platform.ConnectAgentsAsync(options.Tenants);
            Console.WriteLine($"{agents.Count} connected clusters, each heartbeating with its own agent token; server on {platform.BaseAddress}");
            var rows = await new HeartbeatLoad(platform.BaseAddress, agents).RunAsync(options);
            Console.WriteLine();
            Console.WriteLine("| load | heartbeats | heartbeats/s | p50 ms | p99 ms | p99.9 ms | errors | target |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---|");
            foreach (var row in rows) Console.WriteLine(row.ToMarkdown());
        }
        finally
        {
            var stopping = Stopwatch.StartNew();
            await platform.DisposeAsync();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Host stopped in {stopping.Elapsed.TotalSeconds:F1} s (the silo deactivates every grain)."));
        }
    }
}

using System.Diagnostics;
using System.Reflection;
using System.Runtime;
using System.Runtime.InteropServices;

namespace SpotOptimizer.Bench;

/// <summary>The facts a reader needs to compare two runs: hardware, runtime, GC and JIT mode, build configuration.</summary>
internal static class BenchEnvironment
{
    /// <summary>True when both this harness (with the bench's own grains) and the product's grains were compiled with optimizations.</summary>
    public static bool IsOptimized =>
#if DEBUG
        false;
#else
        !IsJitOptimizerDisabled(ProductGrains);
#endif

    /// <summary>The Orleans runtime's version (e.g. 10.4.2), without the commit its informational version names.</summary>
    public static string OrleansVersion =>
        (typeof(Orleans.Grain).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown")
        .Split([' ', '+'])[0].TrimEnd('.');

    private static Assembly ProductGrains => typeof(SpotOptimizer.Grains.Market.SpotPoolGrain).Assembly;

    /// <summary>
    /// Call once a benchmark has read its options: rejects unknown ones, prints the header and refuses a Debug build
    /// (unless --allow-debug). Returns false when the benchmark must not run.
    /// </summary>
    public static bool Start(string benchmark, BenchArgs args)
    {
        var allowDebug = args.Flag("allow-debug");
        args.ThrowIfUnknown();
        PrintHeader(benchmark);
        if (IsOptimized || allowDebug) return true;
        Console.Error.WriteLine("REFUSING TO RUN: this is not an optimized (Release) build. Use `dotnet run -c Release ...` (or --allow-debug).");
        return false;
    }

    private static void PrintHeader(string benchmark)
    {
        var gc = GCSettings.IsServerGC ? "Server" : "Workstation";
        var concurrent = AppContext.TryGetSwitch("System.GC.Concurrent", out var on) ? (on ? "concurrent" : "non-concurrent") : "concurrent (default)";
        var pgo = AppContext.GetData("System.Runtime.TieredPGO") ?? "default";
        var tiered = AppContext.GetData("System.Runtime.TieredCompilation") ?? "default";
        ThreadPool.GetMinThreads(out var minWorkers, out _);
        Console.WriteLine($"# SpotOptimizer benchmark: {benchmark}");
        Console.WriteLine();
        Console.WriteLine($"- Date (UTC): {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss}");
        Console.WriteLine($"- Machine: {Environment.ProcessorCount} logical cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024 * 1024 * 1024.0):F1} GiB available to GC, {RuntimeInformation.OSDescription.Trim()} {RuntimeInformation.OSArchitecture}");
        Console.WriteLine($"- CPU: {CpuModel()}");
        Console.WriteLine($"- .NET: {RuntimeInformation.FrameworkDescription} ({RuntimeInformation.RuntimeIdentifier})");
        Console.WriteLine($"- GC: {gc}, {concurrent}, latency mode {GCSettings.LatencyMode}; TieredCompilation {tiered}, TieredPGO {pgo}; thread pool min workers {minWorkers}");
        Console.WriteLine($"- Runtime knobs from the environment: {RuntimeKnobs()}");
        Console.WriteLine($"- Load average at start: {LoadAverage()} (this machine may be shared: each row's notes give the CPU other processes used)");
        Console.WriteLine($"- Build: harness {(IsHarnessOptimized ? "Release" : "DEBUG")}, product grains {(IsJitOptimizerDisabled(ProductGrains) ? "DEBUG" : "Release")}; Orleans {OrleansVersion}");
        if (!IsOptimized)
        {
            Console.WriteLine();
            Console.WriteLine("> **WARNING: DEBUG BUILD. These numbers say nothing about production. Run with `-c Release`.**");
        }

        Console.WriteLine();
    }

    private static bool IsHarnessOptimized =>
#if DEBUG
        false;
#else
        true;
#endif

    private static bool IsJitOptimizerDisabled(Assembly assembly) =>
        assembly.GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled ?? false;

    /// <summary>
    /// Waits (up to <paramref name="maxWait"/>) for a one-second window in which the whole machine's CPU use is under
    /// <paramref name="busyBelow"/>: on a shared machine, other processes' builds and tests skew every number.
    /// </summary>
    /// <returns>The machine's CPU use in the last second waited (NaN when unknown or when no wait was asked).</returns>
    public static double WaitForQuietMachine(TimeSpan maxWait, double busyBelow = 0.15)
    {
        if (maxWait <= TimeSpan.Zero) return double.NaN;
        var deadline = Stopwatch.GetTimestamp() + (long)(maxWait.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            var before = ProcessCounters.Take();
            Thread.Sleep(1000);
            var busy = ProcessCounters.Take().Since(before).MachineBusyShare;
            if (double.IsNaN(busy) || busy < busyBelow || Stopwatch.GetTimestamp() > deadline) return busy;
            Console.Error.WriteLine($"waiting for a quiet machine: {busy * 100:F0} % CPU busy");
        }
    }

    /// <summary>DOTNET_* / COMPlus_* variables that change the GC, JIT or thread pool (e.g. DOTNET_GCgen0size).</summary>
    private static string RuntimeKnobs()
    {
        var knobs = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => k.StartsWith("DOTNET_", StringComparison.OrdinalIgnoreCase) || k.StartsWith("COMPlus_", StringComparison.OrdinalIgnoreCase))
            .Where(k => k.Contains("GC", StringComparison.OrdinalIgnoreCase) || k.Contains("Tiered", StringComparison.OrdinalIgnoreCase)
                        || k.Contains("ThreadPool", StringComparison.OrdinalIgnoreCase) || k.Contains("JIT", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .Select(k => $"{k}={Environment.GetEnvironmentVariable(k)}")
            .ToList();
        return knobs.Count == 0 ? "none" : string.Join(", ", knobs);
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? "unknown" : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (IOException)
        {
            return "unknown";
        }
        catch (UnauthorizedAccessException)
        {
            return "unknown";
        }
    }
}

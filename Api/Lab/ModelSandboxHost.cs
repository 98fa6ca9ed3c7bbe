using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using SpotOptimizer.Optimization.Lab;

namespace SpotOptimizer.Api.Lab;

/// <summary>What a sandbox run found, and the report's JSON as stored with a registered model.</summary>
public sealed record SandboxVerdict(ModelTrialReport Report, double WallMs, bool NetworkIsolated)
{
    public string Json => JsonSerializer.Serialize(new { Report, WallMs, NetworkIsolated }, ModelSandboxHost.ReportJson);
}

/// <summary>
/// Runs MOD-VAL-01 on an uploaded model in a separate process (<c>SpotOptimizer.ModelSandbox</c>), because loading a
/// model runs its native code: a crash, a hang or a memory blow-up must not reach the Api. Limits on Linux:
/// <c>prlimit</c> sets RLIMIT_CPU, RLIMIT_AS, RLIMIT_FSIZE and no core dumps; <c>unshare -rn</c> gives it a network
/// namespace with no way out; the GC heap is capped; the environment is emptied (no connection strings or keys); and
/// the parent kills the process tree at the wall-clock limit. Where a tool is missing the run goes on without that
/// limit, and the verdict says whether the network was isolated.
/// </summary>
public sealed partial class ModelSandboxHost(IOptions<ModelSandboxOptions> options, ILogger<ModelSandboxHost> logger) : IDisposable
{
    internal static readonly JsonSerializerOptions ReportJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private const string Prlimit = "/usr/bin/prlimit";
    private const string Unshare = "/usr/bin/unshare";
    private const int OutputLimit = 64 * 1024;

    private readonly Lazy<bool> _canIsolateNetwork = new(() => File.Exists(Unshare) && Succeeds(Unshare, "-rn", "true"));

    // One trial at a time per instance: each can hold a core for its whole CPU limit, and the Api shares the machine.
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    public async Task<SandboxVerdict> TrialAsync(byte[] model, string format, CancellationToken cancellationToken)
    {
        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            return await RunAsync(model, format, cancellationToken);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    public void Dispose() => _oneAtATime.Dispose();

    private async Task<SandboxVerdict> RunAsync(byte[] model, string format, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        var folder = Directory.CreateTempSubdirectory("model-sandbox-");
        var clock = Stopwatch.StartNew();
        var isolated = limits.IsolateNetwork && _canIsolateNetwork.Value;
        try
        {
            var modelPath = Path.Combine(folder.FullName, "model");
            await File.WriteAllBytesAsync(modelPath, model, cancellationToken);
            using var process = new Process { StartInfo = StartInfo(limits, isolated, folder.FullName, format, modelPath) };
            process.Start();
            var stdout = ReadLimitedAsync(process.StandardOutput);
            var stderr = ReadLimitedAsync(process.StandardError);
            using var wallClock = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wallClock.CancelAfter(limits.WallClock);
            try
            {
                await process.WaitForExitAsync(wallClock.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
                cancellationToken.ThrowIfCancellationRequested();
                return Verdict(ModelTrialReport.Failed(ModelChecks.Timeout, $"still running after the {limits.WallClock.TotalSeconds:0.###} s wall-clock limit; killed"), clock, isolated);
            }

            return Verdict(Read(process.ExitCode, await stdout, await stderr, limits), clock, isolated);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private SandboxVerdict Verdict(ModelTrialReport report, Stopwatch clock, bool isolated)
    {
        SandboxLog.Trial(logger, report.FailedCheck ?? "passed", clock.Elapsed.TotalMilliseconds, isolated);
        return new SandboxVerdict(report, clock.Elapsed.TotalMilliseconds, isolated);
    }

    /// <summary>A report when the sandbox wrote one; otherwise the process died: CPU limit (SIGXCPU) or a crash.</summary>
    private static ModelTrialReport Read(int exitCode, string stdout, string stderr, ModelSandboxOptions limits)
    {
        if (exitCode == 0)
        {
            try
            {
                var report = JsonSerializer.Deserialize<ModelTrialReport>(stdout, ReportJson);
                if (report is not null) return report;
            }
            catch (JsonException)
            {
                // Falls through: the model's native code may have written to stdout itself.
            }
        }

        const int SigXcpu = 24;
        if (exitCode == 128 + SigXcpu) return ModelTrialReport.Failed(ModelChecks.Timeout, $"used up the {limits.CpuSeconds} s CPU-time limit; killed");
        var tail = stderr.Length > 400 ? stderr[^400..] : stderr;
        return ModelTrialReport.Failed(ModelChecks.Crashed, $"the sandbox process died (exit code {exitCode}){(tail.Length > 0 ? $": {tail.Trim()}" : "")}");
    }

    private static ProcessStartInfo StartInfo(ModelSandboxOptions limits, bool isolated, string workingDirectory, string format, string modelPath)
    {
        var assembly = limits.AssemblyPath ?? Path.Combine(AppContext.BaseDirectory, "SpotOptimizer.ModelSandbox.dll");
        var command = new List<string>();
        if (File.Exists(Prlimit))
        {
            // Soft limit then hard one second later: SIGXCPU (exit 152) at the soft one tells a CPU hog from other kills.
            command.AddRange([Prlimit, $"--cpu={limits.CpuSeconds}:{limits.CpuSeconds + 1}", $"--as={limits.AddressSpaceBytes}", "--core=0", $"--fsize={16 * 1024 * 1024}", "--"]);
        }

        if (isolated) command.AddRange([Unshare, "-rn", "--"]);
        command.AddRange([DotnetHost(), "exec", assembly, format, modelPath]);
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in command.Skip(1)) start.ArgumentList.Add(argument);
        start.Environment.Clear();
        start.Environment["HOME"] = workingDirectory;
        start.Environment["TMPDIR"] = workingDirectory;
        start.Environment["DOTNET_GCHeapHardLimit"] = limits.ManagedHeapBytes.ToString("X", CultureInfo.InvariantCulture);
        // No diagnostics IPC socket, no telemetry, no first-run writes: the sandbox needs nothing outside its folder.
        start.Environment["DOTNET_EnableDiagnostics"] = "0";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return start;
    }

    /// <summary>The <c>dotnet</c> host of the runtime running the Api (under <c>dotnet run</c>, the Api is its own apphost).</summary>
    private static string DotnetHost()
    {
        // <root>/shared/Microsoft.NETCore.App/<version>/ → <root>/dotnet
        var runtime = System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory();
        var root = Path.GetFullPath(Path.Combine(runtime, "..", "..", ".."));
        var host = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return File.Exists(host) ? host : "dotnet";
    }

    private static async Task<string> ReadLimitedAsync(StreamReader reader)
    {
        var text = new StringBuilder();
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            if (text.Length < OutputLimit) text.Append(buffer, 0, Math.Min(read, OutputLimit - text.Length));
        }

        return text.ToString();
    }

    private static bool Succeeds(string file, params string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardError = true };
            foreach (var argument in arguments) start.ArgumentList.Add(argument);
            using var process = Process.Start(start)!;
            return process.WaitForExit(5000) && process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}

internal static partial class SandboxLog
{
    [LoggerMessage(1, LogLevel.Information, "[LAB] [MODEL-SANDBOX] {Outcome} in {WallMs:0} ms (network isolated: {Isolated})")]
    public static partial void Trial(ILogger logger, string outcome, double wallMs, bool isolated);
}

using System.Diagnostics;

namespace SpotOptimizer.Testing;

/// <summary>
/// The shared AWS data pack (never copied into the repository): <c>SPOTOPT_DATA_DIR_AWS</c> when set, else
/// <c>../shared/data/aws</c> beside the folder holding <c>SpotOptimizer.sln</c>. A test that needs it calls
/// <see cref="Require"/>: skipped when the pack (or the zstd CLI for .zst files) is missing, failed under CI=true.
/// </summary>
public static class DataPack
{
    public const string Variable = "SPOTOPT_DATA_DIR_AWS";

    private static readonly Lazy<(string? Directory, string Reason)> Located = new(Locate);

    public static bool IsCi =>
        Environment.GetEnvironmentVariable("CI") is { } ci && (ci.Equals("true", StringComparison.OrdinalIgnoreCase) || ci == "1");

    /// <summary>The pack's directory; skips (or, on CI, fails) the calling test when a required file is absent.</summary>
    public static string Require(params string[] files)
    {
        var (directory, reason) = Located.Value;
        var missing = directory is null ? reason : files.Select(f => Path.Combine(directory, f)).FirstOrDefault(f => !File.Exists(f)) is { } file ? $"data pack file missing: {file}" : null;
        if (missing is null && files.Any(f => f.EndsWith(".zst", StringComparison.Ordinal)) && !ZstdAvailable.Value)
        {
            missing = "the zstd CLI is not installed (apt-get install -y zstd)";
        }

        if (missing is not null && IsCi) throw new InvalidOperationException($"CI must run the data-pack tests, but: {missing}");
        Skip.If(missing is not null, missing);
        return directory!;
    }

    public static TextReader OpenText(string relativePath) => File.OpenText(Path.Combine(Require(relativePath), relativePath));

    public static Stream OpenRead(string relativePath) => File.OpenRead(Path.Combine(Require(relativePath), relativePath));

    /// <summary>A reader over <c>zstd -dc file</c>'s output (test helper only: the product never reads files).</summary>
    public static TextReader OpenZstd(string relativePath)
    {
        var path = Path.Combine(Require(relativePath), relativePath);
        var start = new ProcessStartInfo("zstd", ["-dc", "--", path])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("zstd did not start");
        return new ProcessReader(process);
    }

    private static readonly Lazy<bool> ZstdAvailable = new(() =>
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("zstd", ["--version"]) { RedirectStandardOutput = true, UseShellExecute = false });
            process?.WaitForExit();
            return process?.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    });

    private static (string?, string) Locate()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } configured)
        {
            return Directory.Exists(configured) ? (configured, "") : (null, $"{Variable}={configured} does not exist");
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "SpotOptimizer.sln"))) continue;
            var pack = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", "aws"));
            return Directory.Exists(pack) ? (pack, "") : (null, $"data pack not found at {pack} (set {Variable})");
        }

        return (null, $"no SpotOptimizer.sln above {AppContext.BaseDirectory} (set {Variable})");
    }

    /// <summary>Reads a child process's stdout; disposing waits for it and reports a failed exit.</summary>
    private sealed class ProcessReader(Process process) : TextReader
    {
        public override int Peek() => process.StandardOutput.Peek();

        public override int Read() => process.StandardOutput.Read();

        public override int Read(char[] buffer, int index, int count) => process.StandardOutput.Read(buffer, index, count);

        public override string? ReadLine() => process.StandardOutput.ReadLine();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                process.StandardOutput.ReadToEnd();
                var error = process.StandardError.ReadToEnd();
                process.WaitForExit();
                var code = process.ExitCode;
                process.Dispose();
                if (code != 0) throw new InvalidOperationException($"zstd exited with {code}: {error}");
            }

            base.Dispose(disposing);
        }
    }
}

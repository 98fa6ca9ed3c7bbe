using System.Diagnostics;
using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.RiskTtl;

namespace SpotOptimizer.Bench.Spot;

/// <summary>
/// The shared AWS data pack, read by the benchmark only (the product never depends on it): <c>--data</c>, else
/// <c>SPOTOPT_DATA_DIR_AWS</c>, else <c>../shared/data/aws</c> beside the folder holding <c>SpotOptimizer.sln</c>.
/// <c>.zst</c> files are decompressed by the <c>zstd</c> CLI (<c>apt-get install -y zstd</c>).
/// </summary>
internal sealed class SpotDataPack(string directory)
{
    public const string Variable = "SPOTOPT_DATA_DIR_AWS";

    public string Directory { get; } = directory;

    public static SpotDataPack Locate(string? configured)
    {
        configured ??= Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null;
        if (configured is not null)
        {
            return System.IO.Directory.Exists(configured) ? new SpotDataPack(configured) : throw new ArgumentException($"data pack directory {configured} does not exist");
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "SpotOptimizer.sln"))) continue;
            var pack = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", "aws"));
            return System.IO.Directory.Exists(pack) ? new SpotDataPack(pack) : throw new ArgumentException($"data pack not found at {pack}: pass --data or set {Variable}");
        }

        throw new ArgumentException($"no SpotOptimizer.sln above {AppContext.BaseDirectory}: pass --data or set {Variable}");
    }

    public string PathOf(string relativeOrAbsolute) =>
        Path.IsPathRooted(relativeOrAbsolute) ? relativeOrAbsolute : Path.Combine(Directory, relativeOrAbsolute);

    public SpotPriceBook PriceBook(string file)
    {
        var path = PathOf(file);
        if (!path.EndsWith(".zst", StringComparison.Ordinal))
        {
            using var plain = File.OpenText(path);
            return SpotPriceBook.FromPoints(SpotPriceHistoryParser.Read(plain));
        }

        using var zstd = Process.Start(new ProcessStartInfo("zstd", ["-dc", "--", path]) { RedirectStandardOutput = true, UseShellExecute = false })
                         ?? throw new InvalidOperationException("zstd did not start (apt-get install -y zstd)");
        var book = SpotPriceBook.FromPoints(SpotPriceHistoryParser.Read(zstd.StandardOutput));
        zstd.WaitForExit();
        return zstd.ExitCode == 0 ? book : throw new InvalidOperationException($"zstd -dc {path} exited with {zstd.ExitCode}");
    }

    public IReadOnlyDictionary<string, double> OnDemandPrices()
    {
        using var reader = File.OpenText(PathOf("ondemand-prices-us-east-1.csv"));
        return OnDemandPriceParser.Parse(reader);
    }

    public IReadOnlyDictionary<string, InstanceTypeInfo> Catalog()
    {
        using var reader = File.OpenText(PathOf("instance-types.csv"));
        return InstanceTypeCatalogParser.Parse(reader).ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    public SpotAdvisorSnapshot Advisor(string file)
    {
        using var stream = File.OpenRead(PathOf(file));
        return SpotAdvisorParser.Parse(stream);
    }

    /// <summary>The seven AWS single-node preemption traces (the GCP ones are one flat file thrice).</summary>
    public IReadOnlyList<PreemptionTrace> AwsPreemptionTraces()
    {
        var root = PathOf(Path.Combine("spot-traces", "preemption", "1-node"));
        return System.IO.Directory.GetDirectories(root, "aws-*")
            .SelectMany(d => System.IO.Directory.GetFiles(d, "*.json"))
            .Order(StringComparer.Ordinal)
            .Select(f =>
            {
                using var stream = File.OpenRead(f);
                return PreemptionTraceParser.Parse(stream, Path.GetRelativePath(root, f));
            })
            .ToList();
    }
}

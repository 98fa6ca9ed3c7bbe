using SpotOptimizer.Governance;

namespace SpotOptimizer.Governance.Tests;

/// <summary>The family table in code must match AWS's instance data in the data pack (regenerate it when this fails).</summary>
public sealed class InstanceFamiliesTests
{
    [SkippableFact]
    public void Table_MatchesInstanceTypesCsvOfTheDataPack()
    {
        var csv = DataPack.File("instance-types.csv");
        var expected = File.ReadLines(csv).Skip(1).Select(line => line.Split(','))
            .GroupBy(f => f[1])
            .ToDictionary(g => g.Key, g => (
                Arch: g.Select(f => f[5] == "arm64" ? Architecture.Arm64 : Architecture.X64).Aggregate(Architecture.None, (a, b) => a | b),
                Gpu: g.Any(f => f[11] is { Length: > 0 } count && count != "0"),
                MinVcpu: g.Min(f => int.Parse(f[6], System.Globalization.CultureInfo.InvariantCulture)),
                MaxVcpu: g.Max(f => int.Parse(f[6], System.Globalization.CultureInfo.InvariantCulture))));

        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), InstanceFamilies.All.Select(f => f.Name).Order(StringComparer.Ordinal));
        foreach (var family in InstanceFamilies.All)
        {
            var row = expected[family.Name];
            Assert.Equal((row.Arch, row.Gpu, row.MinVcpu, row.MaxVcpu), (family.Architectures, family.HasGpu, family.MinVcpu, family.MaxVcpu));
        }
    }
}

/// <summary>
/// The public AWS data pack, read from <c>SPOTOPT_DATA_DIR_AWS</c> or from <c>../shared/data/aws</c> beside the
/// repository. Tests that need it skip without it, except on CI (<c>CI=true</c>), where they fail.
/// </summary>
internal static class DataPack
{
    public static string File(string relative)
    {
        var root = Environment.GetEnvironmentVariable("SPOTOPT_DATA_DIR_AWS") ?? FromRepository();
        var path = root is null ? null : Path.Combine(root, relative);
        var missing = path is null || !System.IO.File.Exists(path);
        if (missing && Environment.GetEnvironmentVariable("CI") is "true" or "1")
        {
            throw new InvalidOperationException($"CI must run the data-pack tests, but {relative} was not found (set SPOTOPT_DATA_DIR_AWS).");
        }

        Skip.If(missing, $"The AWS data pack is not here ({relative}); set SPOTOPT_DATA_DIR_AWS.");
        return path!;
    }

    private static string? FromRepository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "SpotOptimizer.sln"))) return Path.Combine(dir.FullName, "..", "shared", "data", "aws");
        }

        return null;
    }
}

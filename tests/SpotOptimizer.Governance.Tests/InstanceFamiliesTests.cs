using SpotOptimizer.Governance;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Governance.Tests;

/// <summary>The family table in code must match AWS's instance data in the data pack (regenerate it when this fails).</summary>
public sealed class InstanceFamiliesTests
{
    [SkippableFact]
    public void Table_MatchesInstanceTypesCsvOfTheDataPack()
    {
        var csv = Path.Combine(DataPack.Require("instance-types.csv"), "instance-types.csv");
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

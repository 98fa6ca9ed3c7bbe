using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Cloud.Tests.Simulation;

/// <summary>The simulator's reader of the data pack's Spot price-history TSV.</summary>
public sealed class SpotPriceHistoryFileTests
{
    private static readonly string Normalised = PriceHistoryText.Of(
        "az|instance_type|os|usd_per_hour|timestamp",
        "us-east-1f|c5a.2xlarge|Linux/UNIX|0.163800|2023-11-11T18:17:54+00:00",
        "us-east-1f|c5a.2xlarge|Red Hat Enterprise Linux|0.223800|2023-11-11T18:17:54+00:00",
        "",
        "us-east-1e|c5a.2xlarge|Linux/UNIX|0.167700|2023-11-11T21:18:33+02:00");

    private static List<SpotPriceChange> Read(string text) => SpotPriceHistoryFile.Read(new StringReader(text)).ToList();

    [Fact]
    public void Read_NormalisedFile_KeepsLinuxRowsWithExactPricesInUtc()
    {
        var changes = Read(Normalised);

        Assert.Equal(
            [
                new SpotPriceChange("us-east-1f", "c5a.2xlarge", 0.1638m, new DateTimeOffset(2023, 11, 11, 18, 17, 54, TimeSpan.Zero)),
                new SpotPriceChange("us-east-1e", "c5a.2xlarge", 0.1677m, new DateTimeOffset(2023, 11, 11, 19, 18, 33, TimeSpan.Zero)),
            ],
            changes);
        Assert.All(changes, c => Assert.Equal(TimeSpan.Zero, c.Timestamp.Offset));
    }

    [Fact]
    public void Read_RawDumpWithoutHeader_ReadsEveryLinuxRow()
    {
        var changes = Read(PriceHistoryText.Of(
            "euw3-az2|g4dn.4xlarge|Linux/UNIX|0.466400|2022-05-31T18:20:41+00:00\r",
            "apne1-az2|i3en.large|Windows|0.171800|2022-05-31T21:55:14+00:00\r"));

        var change = Assert.Single(changes);
        Assert.Equal(("euw3-az2", "g4dn.4xlarge", 0.4664m), (change.AvailabilityZone, change.InstanceType, change.PricePerHour));
    }

    [Theory]
    [InlineData("az|instance_type|os|price|timestamp", "line 1: header")]
    [InlineData("us-east-1a|m5.large|Linux/UNIX|0.05", "line 1: 4 fields")]
    [InlineData("us-east-1a|m5.large|Linux/UNIX|-0.05|2023-11-11T18:17:54+00:00", "line 1: usd_per_hour '-0.05'")]
    [InlineData("us-east-1a|m5.large|Linux/UNIX|cheap|2023-11-11T18:17:54+00:00", "line 1: usd_per_hour 'cheap'")]
    [InlineData("us-east-1a|m5.large|Linux/UNIX|0.05|yesterday", "line 1: timestamp 'yesterday'")]
    public void Read_MalformedLine_ThrowsNamingTheLine(string line, string expected)
    {
        var error = Assert.Throws<FormatException>(() => Read(PriceHistoryText.Of(line)));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MalformedFile_NamesTheFileAndLine()
    {
        using var file = new TempFile("prices.tsv", Normalised + PriceHistoryText.Of("us-east-1a|m5.large|Linux/UNIX|0.05"));

        var error = Assert.Throws<FormatException>(() => SpotPriceHistoryFile.Load(file.Path));

        Assert.Equal($"{file.Path}, line 6: 4 fields, expected 5", error.Message);
    }

    [Fact]
    public void Load_MissingFile_ThrowsFileNotFound()
    {
        var path = Path.Combine(Path.GetTempPath(), $"spotopt-no-such-{Guid.NewGuid():N}.tsv");

        var error = Assert.Throws<FileNotFoundException>(() => SpotPriceHistoryFile.Load(path));

        Assert.Equal(path, error.FileName);
    }

    [Fact]
    public void Load_ZstWithoutTheZstdTool_SaysToInstallIt()
    {
        using var file = new TempFile("prices.tsv.zst", "not read: the tool never starts");

        var error = Assert.Throws<InvalidOperationException>(() => SpotPriceHistoryFile.Load(file.Path, zstdCommand: "zstd-not-installed-here"));

        Assert.Contains("apt-get install -y zstd", error.Message, StringComparison.Ordinal);
        Assert.Contains(file.Path, error.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Load_CorruptZst_ReportsZstdsFailure()
    {
        DataPack.Require("spot-price-history/2022-05-31.tsv.zst"); // for its check that zstd is installed
        using var file = new TempFile("prices.tsv.zst", PriceHistoryText.Of("az|instance_type|os|usd_per_hour|timestamp"));

        var error = Assert.Throws<InvalidOperationException>(() => SpotPriceHistoryFile.Load(file.Path));

        Assert.StartsWith($"zstd -dc {file.Path} exited with 1", error.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Load_PacksZstDump_DecompressesEveryLinuxRow()
    {
        const string dump = "spot-price-history/2022-05-31.tsv.zst";
        var path = Path.Combine(DataPack.Require(dump), dump);

        var changes = SpotPriceHistoryFile.Load(path);

        // The pack's README: 33,362 rows over four OS values, 2022-05-31 18:20:41 to 23:59:59 UTC, AZ IDs.
        Assert.InRange(changes.Count, 1_000, 33_361);
        Assert.All(changes, c => Assert.InRange(c.Timestamp,
            new DateTimeOffset(2022, 5, 31, 18, 20, 41, TimeSpan.Zero), new DateTimeOffset(2022, 5, 31, 23, 59, 59, TimeSpan.Zero)));
        Assert.Contains(changes, c => c.AvailabilityZone == "euw3-az2" && c.InstanceType == "g4dn.4xlarge");
    }
}

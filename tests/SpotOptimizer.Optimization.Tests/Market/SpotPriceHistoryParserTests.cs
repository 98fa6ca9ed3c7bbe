using SpotOptimizer.Optimization.Market;

namespace SpotOptimizer.Optimization.Tests.Market;

public sealed class SpotPriceHistoryParserTests
{
    private const string UsEast1 = "spot-price-history/us-east-1_2021-03-02_2021-05-31.tsv.zst";

    [SkippableFact]
    public void Read_UsEast1NinetyDays_ReadmeCounts()
    {
        int all = 0, linux = 0;
        var zones = new HashSet<string>();
        var types = new HashSet<string>();
        DateTimeOffset first = DateTimeOffset.MaxValue, last = DateTimeOffset.MinValue;
        using (var reader = DataPack.OpenZstd(UsEast1))
        {
            foreach (var point in SpotPriceHistoryParser.Read(reader, operatingSystem: null))
            {
                all++;
                if (point.OperatingSystem != SpotPriceHistoryParser.LinuxUnix) continue;
                linux++;
                zones.Add(point.AvailabilityZone);
                types.Add(point.InstanceType);
                if (point.Timestamp < first) first = point.Timestamp;
                if (point.Timestamp > last) last = point.Timestamp;
            }
        }

        Assert.Equal(919_183, all);
        Assert.Equal(268_519, linux);
        Assert.Equal(["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"], zones.Order());
        Assert.Equal(255, types.Count);
        Assert.Equal(new DateTimeOffset(2021, 3, 2, 1, 39, 4, TimeSpan.Zero), first);
        Assert.Equal(new DateTime(2021, 5, 31), last.UtcDateTime.Date);
    }

    [SkippableFact]
    public void Parse_UsEast1LinuxBook_1246SeriesAndForwardFill()
    {
        using var reader = DataPack.OpenZstd(UsEast1);
        var book = SpotPriceBook.FromPoints(SpotPriceHistoryParser.Parse(reader));

        Assert.Equal(1246, book.Series.Count);
        var series = book.Series[new SpotPoolId("us-east-1e", "r4.2xlarge")];
        Assert.Equal(0.1782, series.PriceAt(new DateTimeOffset(2021, 3, 2, 1, 39, 4, TimeSpan.Zero)));
        Assert.True(double.IsNaN(series.PriceAt(new DateTimeOffset(2021, 3, 2, 1, 39, 3, TimeSpan.Zero))));
    }

    [SkippableFact]
    public void Parse_HeaderlessAzIdDump_AllOperatingSystems()
    {
        using var reader = DataPack.OpenZstd("spot-price-history/2022-05-31.tsv.zst");
        var points = SpotPriceHistoryParser.Parse(reader, operatingSystem: null);

        Assert.Equal(33_362, points.Count);
        Assert.Equal(55, points.Select(p => p.AvailabilityZone).Distinct().Count());
        Assert.Equal(509, points.Select(p => p.InstanceType).Distinct().Count());
        Assert.Equal(4, points.Select(p => p.OperatingSystem).Distinct().Count());
        Assert.Equal(("euw3-az2", "g4dn.4xlarge", 0.4664), (points[0].AvailabilityZone, points[0].InstanceType, points[0].PricePerHour));
    }

    [SkippableFact]
    public void Parse_UncompressedC5a2xlargeFile_869Rows()
    {
        using var reader = DataPack.OpenText("spot-price-history/us-east-1_c5a.2xlarge_2023-11-11_2023-12-30.tsv");
        var points = SpotPriceHistoryParser.Parse(reader);

        Assert.Equal(869, points.Count);
        Assert.All(points, p => Assert.Equal("c5a.2xlarge", p.InstanceType));
        Assert.Equal(("us-east-1f", 0.1638), (points[0].AvailabilityZone, points[0].PricePerHour));
    }

    [Theory]
    [InlineData("us-east-1a\tc5.large\tLinux/UNIX\t0.03\n", "fields")]
    [InlineData("us-east-1a\tc5.large\tLinux/UNIX\tcheap\t2021-03-02T01:39:04+00:00\n", "usd_per_hour")]
    [InlineData("us-east-1a\tc5.large\tLinux/UNIX\t-0.03\t2021-03-02T01:39:04+00:00\n", "negative")]
    [InlineData("us-east-1a\tc5.large\tLinux/UNIX\t0.03\tyesterday\n", "timestamp")]
    public void Parse_MalformedRow_ThrowsNamingTheProblem(string row, string expected)
    {
        using var reader = new StringReader(SpotPriceHistoryParser.Header + "\n" + row);

        var error = Assert.Throws<FormatException>(() => SpotPriceHistoryParser.Parse(reader));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HourlyPriceGrid_History_ForwardFillsAndTrimsUnknownPrefix()
    {
        var start = new DateTimeOffset(2021, 3, 2, 0, 0, 0, TimeSpan.Zero);
        var book = SpotPriceBook.FromPoints(
        [
            new SpotPricePoint("az1", "m5.large", "Linux/UNIX", 0.04, start.AddHours(2).AddMinutes(30)),
            new SpotPricePoint("az1", "m5.large", "Linux/UNIX", 0.05, start.AddHours(4)),
        ]);

        var grid = HourlyPriceGrid.Build(book, start, 6);

        Assert.Equal([0.04, 0.05, 0.05], grid.History(0, 5, 24).ToArray());
        Assert.True(double.IsNaN(grid.Prices[0][2]));
        Assert.Equal(0.04, grid.Prices[0][3]);
    }
}

using System.Text;
using SpotOptimizer.Optimization.Market;

namespace SpotOptimizer.Optimization.Tests.Market;

public sealed class SpotAdvisorParserTests
{
    [SkippableFact]
    public void Parse_2025Feed_ReadmeCountsAndKnownEntries()
    {
        using var stream = DataPack.OpenRead("spot-advisor/spot-advisor-data.json");
        var advisor = SpotAdvisorParser.Parse(stream);

        Assert.Equal(929, advisor.InstanceTypes.Count);
        Assert.Equal(33, advisor.Regions.Count());
        Assert.Equal("<10%", advisor.GlobalRate);
        Assert.Equal(["<5%", "5-10%", "10-15%", "15-20%", ">20%"], advisor.Ranges.Select(r => r.Label));
        Assert.Equal([5, 11, 16, 22, 100], advisor.Ranges.Select(r => r.MaxPercent));
        Assert.Equal(894, advisor.BucketsFor("us-east-1").Count);
        Assert.Equal(605, advisor.BucketsFor("us-east-1", SpotAdvisorSnapshot.Windows).Count);
        Assert.Equal((59, 0), Pair(advisor.Find("us-east-1", "Linux", "c5.large")));
        Assert.Equal((80, 4), Pair(advisor.Find("us-east-1", "Linux", "p3.2xlarge")));
        var c5 = advisor.InstanceTypes.Single(t => t.Name == "c5.large");
        Assert.Equal((2, 4.0, false), (c5.Cores, c5.RamGiB, c5.Emr));
    }

    [SkippableFact]
    public void Parse_2021Feed_SameSchemaFewerTypes()
    {
        using var stream = DataPack.OpenRead("spot-advisor/2021/spot-advisor-data.json");
        var advisor = SpotAdvisorParser.Parse(stream);

        Assert.Equal(379, advisor.InstanceTypes.Count);
        Assert.Equal(21, advisor.Regions.Count());
        Assert.All(advisor.Entries, e => Assert.InRange(e.Bucket, 0, 4));
        Assert.Equal(0, advisor.Find("us-east-1", "Linux", "m5.xlarge")!.Bucket);
    }

    [Fact]
    public void Parse_BucketOutsideRanges_Throws()
    {
        const string json = """
            {"ranges": [{"index": 0, "label": "<5%", "max": 5}], "global_rate": "<10%",
             "spot_advisor": {"us-east-1": {"Linux": {"c5.large": {"s": 59, "r": 3}}}}}
            """;

        var error = Assert.Throws<FormatException>(() => SpotAdvisorParser.Parse(new MemoryStream(Encoding.UTF8.GetBytes(json))));

        Assert.Contains("c5.large", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MissingSpotAdvisor_Throws()
    {
        const string json = """{"ranges": []}""";

        Assert.Throws<FormatException>(() => SpotAdvisorParser.Parse(new MemoryStream(Encoding.UTF8.GetBytes(json))));
    }

    private static (int, int) Pair(SpotAdvisorEntry? entry) => (entry!.SavingsPercent, entry.Bucket);
}

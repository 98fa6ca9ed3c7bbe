using SpotOptimizer.Optimization.Market;

namespace SpotOptimizer.Optimization.Tests.Market;

public sealed class CatalogAndPriceParserTests
{
    [SkippableFact]
    public void InstanceTypeCatalogParser_RealFile_AllRowsAndHandCheckedValues()
    {
        using var reader = DataPack.OpenText("instance-types.csv");
        var types = InstanceTypeCatalogParser.Parse(reader).ToDictionary(t => t.Name);

        Assert.Equal(1363, types.Count);
        Assert.Equal(177, types.Values.Select(t => t.Family).Distinct().Count());
        var c5 = types["c5.large"];
        Assert.Equal(("c5", CpuArchitecture.Amd64, 2, 4096, 1930, 3114, 29), (c5.Family, c5.Architecture, c5.VCpu, c5.MemoryMiB, c5.AllocatableCpuMillicores, c5.AllocatableMemoryMiB, c5.MaxPods));
        var m5 = types["m5.xlarge"];
        Assert.Equal((4, 16384, 3920, 14162, 58), (m5.VCpu, m5.MemoryMiB, m5.AllocatableCpuMillicores, m5.AllocatableMemoryMiB, m5.MaxPods));
        Assert.Equal(CpuArchitecture.Arm64, types["a1.large"].Architecture);
        Assert.Equal((1, "t4"), (types["g4dn.xlarge"].GpuCount, types["g4dn.xlarge"].GpuName));
        Assert.Equal((8, "v100"), (types["p3dn.24xlarge"].GpuCount, types["p3dn.24xlarge"].GpuName));
        Assert.Equal(70, types.Values.Count(t => t.GpuName is not null));
        Assert.Equal(5, types.Values.Count(t => t.GpuName is not null && t.GpuCount == 0)); // g6f.* and gr6f.4xlarge: fractional L4
        Assert.DoesNotContain("p3.2xlarge", types.Keys);
    }

    [Fact]
    public void InstanceTypeCatalogParser_WrongHeader_Throws()
    {
        using var reader = new StringReader("name,vcpu\nc5.large,2\n");

        var error = Assert.Throws<FormatException>(() => InstanceTypeCatalogParser.Parse(reader));

        Assert.Contains("header", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InstanceTypeCatalogParser_NonNumericVcpu_ThrowsWithLine()
    {
        using var reader = new StringReader(InstanceTypeCatalogParser.Header + "\nc5.large,c5,c,5,large,amd64,two,4096,1930,3114,29,,,750,nitro\n");

        var error = Assert.Throws<FormatException>(() => InstanceTypeCatalogParser.Parse(reader));

        Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void OnDemandPriceParser_RealFile_AllRowsAndReadmePrices()
    {
        using var reader = DataPack.OpenText("ondemand-prices-us-east-1.csv");
        var prices = OnDemandPriceParser.Parse(reader);

        Assert.Equal(1367, prices.Count);
        Assert.Equal(0.085, prices["c5.large"]);
        Assert.Equal(0.192, prices["m5.xlarge"]);
        Assert.Equal(3.06, prices["p3.2xlarge"]);
        Assert.Equal(0.308, prices["c5a.2xlarge"]);
    }

    [Fact]
    public void OnDemandPriceParser_DuplicateType_Throws()
    {
        using var reader = new StringReader("instance_type,usd_per_hour\nc5.large,0.085\nc5.large,0.09\n");

        Assert.Throws<FormatException>(() => OnDemandPriceParser.Parse(reader));
    }
}

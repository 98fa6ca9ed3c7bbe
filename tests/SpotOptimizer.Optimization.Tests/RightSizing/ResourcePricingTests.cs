using SpotOptimizer.Optimization.RightSizing;

namespace SpotOptimizer.Optimization.Tests.RightSizing;

public sealed class ResourcePricingTests
{
    [Fact]
    public void Split_OneNode_SpreadsItsPriceTenGiBPerVCpu()
    {
        // m5.xlarge On-Demand $0.192 over 4 vCPU × 10 + 16 GiB = 56 GiB-equivalents.
        var prices = ResourcePricing.Split([new PricedNode(0.192, 4000, 16384)])!;

        Assert.Equal(0.192 / 56, prices.PerGiBHour, 12);
        Assert.Equal(0.192 / 56 * 10, prices.PerVCpuHour, 12);
    }

    [Fact]
    public void Split_MixedFleet_GivesBackTheFleetsPrice()
    {
        PricedNode[] fleet = [new(0.0712, 3920, 14800), new(0.085, 1930, 3200), new(0.0421, 1930, 6900), new(0.252, 3920, 30000)];

        var prices = ResourcePricing.Split(fleet)!;

        var repriced = fleet.Sum(n => (n.AllocatableCpuMillicores / 1000.0 * prices.PerVCpuHour) + (n.AllocatableMemoryMiB / 1024.0 * prices.PerGiBHour));
        Assert.Equal(fleet.Sum(n => n.HourlyPrice), repriced, 12);
        Assert.Equal(10, prices.PerVCpuHour / prices.PerGiBHour, 9);
    }

    [Fact]
    public void Split_NothingPriced_IsNull()
    {
        Assert.Null(ResourcePricing.Split([]));
        Assert.Null(ResourcePricing.Split([new PricedNode(0, 4000, 16384)]));
    }

    /// <summary>Where <see cref="ResourcePricing.VCpuInGiB"/> comes from: AWS's us-east-1 On-Demand list (2 vCPU, 4/8/16 GiB).</summary>
    [Theory]
    [InlineData(0.085, 0.096, 0.126)] // c5/m5/r5.large (c6i/m6i/r6i have the same list prices)
    [InlineData(0.08925, 0.1008, 0.1323)] // c7i/m7i/r7i.large
    [InlineData(0.068, 0.077, 0.1008)] // c6g/m6g/r6g.large (Graviton)
    public void VCpuInGiB_MatchesTheRatioAwsListPricesImply(double compute, double general, double memory)
    {
        double[] gib = [4, 8, 16];
        double[] price = [compute, general, memory];
        var meanGib = gib.Average();
        var meanPrice = price.Average();
        var perGiB = gib.Zip(price).Sum(p => (p.First - meanGib) * (p.Second - meanPrice)) / gib.Sum(g => (g - meanGib) * (g - meanGib));
        var perVCpu = (meanPrice - (perGiB * meanGib)) / 2;

        Assert.InRange(perVCpu / perGiB, ResourcePricing.VCpuInGiB - 0.5, ResourcePricing.VCpuInGiB + 0.5);
    }
}

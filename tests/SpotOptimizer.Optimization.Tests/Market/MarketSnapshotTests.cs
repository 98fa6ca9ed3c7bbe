using SpotOptimizer.Optimization.Market;

namespace SpotOptimizer.Optimization.Tests.Market;

public sealed class MarketSnapshotTests
{
    [Fact]
    public void Build_PricedPoolsOfKnownTypes_QuotedWithHistoryAndReferenceData()
    {
        var at = new DateTimeOffset(2021, 3, 3, 0, 0, 0, TimeSpan.Zero);
        var book = SpotPriceBook.FromPoints(
        [
            new SpotPricePoint("az1", "m5.large", "Linux/UNIX", 0.04, at.AddHours(-3)),
            new SpotPricePoint("az1", "m5.large", "Linux/UNIX", 0.05, at.AddHours(-1)),
            new SpotPricePoint("az1", "zz9.large", "Linux/UNIX", 0.01, at.AddHours(-1)),
            new SpotPricePoint("az2", "m5.large", "Linux/UNIX", 0.04, at.AddHours(1)),
        ]);
        var catalog = new Dictionary<string, InstanceTypeInfo> { ["m5.large"] = Catalog.Type("m5.large", 2, 8) };

        var snapshot = MarketSnapshot.Build("us-east-1", at, book, catalog, new Dictionary<string, double> { ["m5.large"] = 0.096 }, new Dictionary<string, int> { ["m5.large"] = 1 }, historyHours: 5);

        var quote = Assert.Single(snapshot.Pools); // zz9 is not in the catalog, az2 has no price yet
        Assert.Equal((new SpotPoolId("az1", "m5.large"), 0.05, 0.096, 1), (quote.Pool, quote.SpotPrice, quote.OnDemandPrice, quote.Bucket));
        Assert.Equal([0.04, 0.04, 0.05, 0.05], quote.HourlyHistory);
        Assert.Equal("m5.large", Assert.Single(snapshot.OnDemand).Type.Name);
    }
}

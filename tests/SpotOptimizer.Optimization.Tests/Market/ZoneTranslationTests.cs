using SpotOptimizer.Optimization.Market;

namespace SpotOptimizer.Optimization.Tests.Market;

public sealed class ZoneTranslationTests
{
    // The market reads as an account whose a/b/c/d are az1/az2/az3/az4; the tenant's a/b/c are az4/az1/az6.
    private static readonly Dictionary<string, string> Platform = new()
    {
        ["us-east-1a"] = "use1-az1", ["us-east-1b"] = "use1-az2", ["us-east-1c"] = "use1-az3", ["us-east-1d"] = "use1-az4",
    };

    private static readonly Dictionary<string, string> Tenant = new()
    {
        ["us-east-1a"] = "use1-az4", ["us-east-1b"] = "use1-az1", ["us-east-1c"] = "use1-az6",
    };

    private static readonly InstanceTypeInfo M5 = Catalog.Type("m5.large", 2, 8);

    private static PoolQuote Quote(string zone, double price) => new(new SpotPoolId(zone, "m5.large"), M5, price, 0.096, 1, [price]);

    [Fact]
    public void Between_TranslatesThroughZoneIds_BothWays()
    {
        var zones = ZoneTranslation.Between(Platform, Tenant);

        Assert.Equal("us-east-1a", zones.ToTenant("us-east-1d"));
        Assert.Equal("us-east-1b", zones.ToTenant("us-east-1a"));
        Assert.Equal("us-east-1d", zones.ToPlatform("us-east-1a"));
        Assert.Equal("us-east-1a", zones.ToPlatform("us-east-1b"));
        // az2/az3 are the market's only; az6 is the tenant's only.
        Assert.Null(zones.ToTenant("us-east-1b"));
        Assert.Null(zones.ToPlatform("us-east-1c"));
    }

    [Fact]
    public void ToTenant_Market_RenamesPoolsAndDropsZonesTheAccountLacks()
    {
        var market = new MarketSnapshot("us-east-1", DateTimeOffset.UnixEpoch, [Quote("us-east-1a", 0.03), Quote("us-east-1b", 0.02), Quote("us-east-1d", 0.04)], [])
        {
            ZoneIds = Platform,
        };

        var seen = ZoneTranslation.Between(Platform, Tenant).ToTenant(market);

        Assert.Equal([("us-east-1b", 0.03), ("us-east-1a", 0.04)], seen.Pools.Select(q => (q.Pool.AvailabilityZone, q.SpotPrice)));
    }

    [Fact]
    public void ToTenant_Flags_InTheTenantsNames_OthersDropped()
    {
        var flags = ZoneTranslation.Between(Platform, Tenant).ToTenant([new SpotPoolId("us-east-1d", "c5.large"), new SpotPoolId("us-east-1c", "c5.large")]);

        Assert.Equal([new SpotPoolId("us-east-1a", "c5.large")], flags);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(false, false)]
    public void Between_EitherSideUnknown_NamesTakenAsEveryones(bool platformKnown, bool tenantKnown)
    {
        var zones = ZoneTranslation.Between(platformKnown ? Platform : null, tenantKnown ? Tenant : null);

        Assert.True(zones.IsIdentity);
        Assert.Equal("us-east-1c", zones.ToTenant("us-east-1c"));
        Assert.Equal("us-east-1c", zones.ToPlatform("us-east-1c"));
    }
}

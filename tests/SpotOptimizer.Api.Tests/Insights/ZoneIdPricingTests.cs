using Orleans;
using SpotOptimizer.Api.Tests.Onboarding;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.Grains.Interfaces.Clusters;
using SpotOptimizer.Grains.Interfaces.Market;
using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Api.Tests.Insights;

/// <summary>
/// An account whose zone names differ from the market's (AWS maps names to physical zones per account): its Spot node is
/// priced in the market's zone of the same ID, by the KPIs and by the weekly report's spend estimate alike, as the
/// optimize job reads the market — not at the price of the market's zone that merely has the same name.
/// </summary>
public sealed class ZoneIdPricingTests
{
    private const string NewAccount = "610987654321";
    private const string Region = "us-east-1";

    [Fact]
    public async Task SpotNode_InAZoneTheAccountNamesOtherwise_PricedByZoneId_InKpiAndWeeklyReport()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres: false);
        var tenant = await TenantClient.SignUpAsync(app, "ops@zone-pricing.io");
        var accountId = await Journey.LinkAccountAsync(tenant, NewAccount);
        var (clusterId, token, _) = await Journey.ConnectFirstClusterAsync(tenant, accountId);
        var grains = app.Services.GetRequiredService<IGrainFactory>();
        var market = await MarketAsync(grains);
        var accountZones = ((SimulatedCloud)app.Services.GetService(typeof(SimulatedCloud))!).World.FindAccount(NewAccount)!.FindRegion(Region)!.AvailabilityZones;
        // A pool whose physical zone the account names otherwise, and which the market's zone of the account's name prices differently.
        var (pool, accountZone) = (from p in market.Pools
                                   let id = market.ZoneIds!.GetValueOrDefault(p.AvailabilityZone)
                                   let named = accountZones.FirstOrDefault(z => SimulatedNetwork.ZoneId(NewAccount, Region, z) == id)
                                   where named is not null && named != p.AvailabilityZone
                                   let sameName = market.Pools.FirstOrDefault(q => q.AvailabilityZone == named && q.InstanceType == p.InstanceType)
                                   where sameName is null || Math.Abs(sameName.SpotPrice - p.SpotPrice) > 1e-6
                                   orderby p.InstanceType, p.AvailabilityZone
                                   select (p, named)).First();
        var node = new InventoryNode("n-1", "i-0feed000000000001", pool.InstanceType, accountZone, "spot", "general", null,
            new InventoryResources(3_900, 14_000, 58), [], [], DateTimeOffset.UtcNow.AddDays(-1));
        Assert.NotNull(await grains.GetGrain<IClusterGrain>(clusterId).ReportInventory(
            new AgentInventoryReport(AgentTokens.HashOf(token), "test/1", new AgentInventory([node], [], [], new InventoryResources(0, 0, 0)))));

        var kpi = await tenant.GetJsonAsync($"/api/metrics/kpi?cluster_id={clusterId}");
        var report = await tenant.GetJsonAsync("/api/reports/weekly");

        Assert.Equal(0, kpi.GetProperty("clusters")[0].GetProperty("unpriced_nodes").GetInt32());
        Assert.Equal(pool.SpotPrice * 730, kpi.GetProperty("current_monthly_spend").GetProperty("value").GetDouble(), 4);
        var spend = report.GetProperty("figures").EnumerateArray().Single(f => f.GetProperty("key").GetString() == "spend_usd");
        Assert.Equal(Math.Round(pool.SpotPrice * 168, 2), spend.GetProperty("value").GetDouble(), 2);
    }

    /// <summary>The region's market with the feed's zone IDs (the market refreshes on its own schedule; here now).</summary>
    private static async Task<MarketQuotes> MarketAsync(IGrainFactory grains)
    {
        var market = grains.GetGrain<IMarketGrain>(Region);
        if (await market.GetSnapshot() is null) await market.Start();
        if ((await market.GetZoneIds()).Count == 0) await market.RefreshAdvisor();
        var quotes = await market.GetSnapshot();
        Assert.NotNull(quotes);
        Assert.NotEmpty(quotes.ZoneIds!);
        return quotes;
    }
}

using System.Net;
using SpotOptimizer.Dashboard.Pages;

namespace SpotOptimizer.Dashboard.Tests;

public sealed class RiskBoardTests
{
    private const string Flags = "/api/spot/regions/us-east-1/flags";

    [Fact]
    public async Task Open_ShowsSharedFlagsWithWhy_AndTheTenantsOwn()
    {
        var platform = new FakePlatform().Ok("GET", Flags, """
            {"region":"us-east-1",
             "flags":[{"availability_zone":"us-east-1a","instance_type":"c5.xlarge","until":"2026-11-02T10:30:00Z","kind":"interruption","reports":3,"reason":"distinct_tenants:3"},
                      {"availability_zone":"us-east-1b","instance_type":"m5.large","until":"2026-11-02T10:15:00Z","kind":"rebalance_recommendation","reports":1,"reason":"aws_event"}],
             "own_flags":[{"availability_zone":"us-east-1c","instance_type":"r5.large","until":"2026-11-02T10:20:00Z","kind":"interruption","reports":1,"reason":"own_report"}]}
            """);
        await using var ctx = DashboardTest.NewContext(platform);

        var page = ctx.RenderPage<RiskBoard>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid='shared-flags'] tbody tr").Count));
        var why = page.FindAll("[data-testid='shared-flags'] tbody tr").Select(r => r.Children[2].TextContent.Trim()).ToList();
        Assert.Equal(["reported by 3 tenants", "AWS interruption event · rebalance recommendation"], why);
        var own = Assert.Single(page.FindAll("[data-testid='own-flags'] tbody tr"));
        Assert.Equal("r5.large", own.Children[1].TextContent.Trim());
        Assert.Contains("your own report", own.Children[2].TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherRegion_WithNothingFlagged_SaysSo_AndABadRegionShowsTheProblem()
    {
        var platform = new FakePlatform()
            .Ok("GET", Flags, """{"region":"us-east-1","flags":[],"own_flags":[]}""")
            .Problem("GET", "/api/spot/regions/US_EAST/flags", HttpStatusCode.BadRequest, "invalid_region", "The request is invalid.", "The region must look like us-east-1.");
        await using var ctx = DashboardTest.NewContext(platform);
        var page = ctx.RenderPage<RiskBoard>();
        page.WaitForAssertion(() => Assert.Contains("No pool is flagged for everyone", page.Find("[data-testid='shared-flags']").TextContent, StringComparison.Ordinal));
        Assert.Contains("None of your own reports", page.Find("[data-testid='own-flags']").TextContent, StringComparison.Ordinal);

        page.Find("input").Change("US_EAST");
        page.Find("form").Submit();

        page.WaitForAssertion(() => Assert.Contains("(invalid_region)", page.Find("[role='alert']").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid='shared-flags']"));
    }
}

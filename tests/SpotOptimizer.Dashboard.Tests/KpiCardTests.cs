using System.Globalization;
using Microsoft.AspNetCore.Components.Web;
using SpotOptimizer.Dashboard.Pages;

namespace SpotOptimizer.Dashboard.Tests;

public sealed class KpiCardTests
{
    [Theory]
    [InlineData("usd_per_month", "$12,345 / month")]
    [InlineData("usd", "$12,345")]
    [InlineData("nodes", "12,345 nodes")]
    public async Task Render_FormatsTheAmountByItsUnit(string unit, string shown)
    {
        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("en-US");
        try
        {
            await using var ctx = DashboardTest.NewContext();
            ctx.Render<MudPopoverProvider>();

            var card = ctx.Render<KpiCard>(p => p
                .Add(k => k.Label, "Net savings")
                .Add(k => k.Amount, new Amount(12345.4m, unit, "Σ(on-demand − actual) since linking"))
                .Add(k => k.TestId, "kpi-savings"));

            var paper = card.Find("[data-testid='kpi-savings']");
            Assert.Contains("Net savings", paper.TextContent);
            Assert.Equal(shown, card.Find("h5").TextContent.Trim());
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    [Fact]
    public async Task Hover_ShowsHowTheAmountWasComputed()
    {
        await using var ctx = DashboardTest.NewContext();
        var popovers = ctx.Render<MudPopoverProvider>();
        var card = ctx.Render<KpiCard>(p => p
            .Add(k => k.Label, "Current monthly spend")
            .Add(k => k.Amount, new Amount(900m, "usd_per_month", "sum of the running nodes' hourly price × 730")));

        Assert.DoesNotContain("hourly price × 730", popovers.Find(".mud-popover-provider").TextContent);

        card.Find(".mud-tooltip-root").PointerEnter(new PointerEventArgs());

        popovers.WaitForAssertion(() => Assert.Equal(
            "sum of the running nodes' hourly price × 730", popovers.Find(".mud-tooltip.mud-popover-open").TextContent.Trim()));
    }
}

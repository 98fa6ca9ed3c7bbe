using System.Net;
using System.Text.Json;
using AngleSharp.Dom;
using SpotOptimizer.Dashboard.Pages;

namespace SpotOptimizer.Dashboard.Tests;

/// <summary>The weekly grid as its page binds it: what is painted is what is saved.</summary>
public sealed class HibernationTests
{
    private const string Clusters = """
        {"clusters":[
          {"cluster_id":"c1","name":"prod-eu","region":"eu-west-1","managed":true,"node_count":12,"spot_node_count":8,"agent_status":"connected"},
          {"cluster_id":"c2","name":"staging","region":"us-east-1","managed":true,"node_count":3,"spot_node_count":3,"agent_status":"connected"}]}
        """;

    private static string View(string cluster, int[] matrix) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["cluster_id"] = cluster,
        ["schedule_matrix"] = matrix,
        ["time_zone"] = "Europe/Paris",
        ["prewarm"] = false,
        ["override_until"] = null,
        ["power"] = "asleep",
    });

    private static IElement SaveButton(IRenderedComponent<Hibernation> page) =>
        page.FindAll("button").Single(b => b.TextContent.Contains("Save schedule", StringComparison.Ordinal));

    [Fact]
    public async Task PaintThenSave_PostsThePaintedWeek()
    {
        var painted = new int[168];
        for (var day = 0; day < 5; day++)
        {
            for (var hour = 8; hour <= 18; hour++) painted[day * 24 + hour] = 1;
        }

        var platform = new FakePlatform()
            .Ok("GET", "/api/client/clusters", Clusters)
            .Ok("GET", "/api/hibernation/c1", View("c1", new int[168]))
            .Ok("POST", "/api/hibernation/schedule", View("c1", painted));
        await using var ctx = DashboardTest.NewContext(platform);
        var page = ctx.RenderPage<Hibernation>();
        page.WaitForAssertion(() => Assert.Equal(168, page.FindAll("[role='gridcell'] > button").Count));
        Assert.True(SaveButton(page).HasAttribute("disabled"));

        page.Find("button[data-slot='8']").PointerDown();           // Mon 08:00
        page.Find($"button[data-slot='{4 * 24 + 18}']").PointerEnter(); // Fri 18:00
        page.Find("[data-testid='week-grid']").PointerUp();
        // The painted week re-renders the save button asynchronously: wait for it rather than race that render.
        page.WaitForAssertion(() => Assert.False(SaveButton(page).HasAttribute("disabled")));
        SaveButton(page).Click();

        page.WaitForAssertion(() => Assert.Equal("POST", platform.Requests[^1].Method));
        var save = platform.Requests[^1];
        Assert.Equal("/api/hibernation/schedule", save.Path);
        using var body = JsonDocument.Parse(save.Body!);
        Assert.Equal("c1", body.RootElement.GetProperty("cluster_id").GetString());
        Assert.Equal(painted, body.RootElement.GetProperty("schedule_matrix").EnumerateArray().Select(e => e.GetInt32()));
        page.WaitForAssertion(() => Assert.True(SaveButton(page).HasAttribute("disabled")));
        Assert.Equal(55, page.FindAll("button[aria-pressed='true']").Count);
    }

    [Fact]
    public async Task SelectCluster_ScheduleFails_ShowsTheProblem()
    {
        var platform = new FakePlatform()
            .Ok("GET", "/api/client/clusters", Clusters)
            .Ok("GET", "/api/hibernation/c1", View("c1", new int[168]))
            .Problem("GET", "/api/hibernation/c2", HttpStatusCode.UnprocessableEntity, "cluster_not_managed", "The request could not be carried out.", "The cluster staging is not managed yet.");
        await using var ctx = DashboardTest.NewContext(platform);
        var popovers = ctx.Render<MudPopoverProvider>();
        var page = ctx.Render<Hibernation>();
        page.WaitForAssertion(() => Assert.Equal(168, page.FindAll("[role='gridcell'] > button").Count));

        page.Find("div.mud-select > .mud-input-control").MouseDown();
        popovers.WaitForElement(".mud-popover-open .mud-list-item:contains('staging')").Click();

        page.WaitForAssertion(() => Assert.Contains("The cluster staging is not managed yet.", page.Find("[role='alert']").TextContent));
        Assert.Equal("/hibernation/c2", ctx.CurrentPath());
        Assert.Empty(page.FindAll("[role='gridcell'] > button"));
    }
}

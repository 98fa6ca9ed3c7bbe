using Microsoft.Playwright;

namespace SpotOptimizer.Api.Tests.Ui;

/// <summary>
/// The web UI in a real browser: the platform serves it at <c>/</c>; a visitor is sent to sign in, the demo user signs
/// in and lands on the dashboard with the demo tenant's KPIs and clusters, read from the public API.
/// </summary>
public sealed class SignInJourneyTests
{
    private const string DemoPassword = Browser.DemoPassword;

    [SkippableFact]
    public async Task Visitor_SignsInAsTheDemoUser_LandsOnTheDashboardWithKpisAndClusters()
    {
        await using var app = Browser.DemoPlatform();
        await using var browser = await Browser.OpenAsync(app);
        var page = browser.Page;

        await page.GotoAsync("/");
        await page.WaitForURLAsync("**/login");
        await page.GetByLabel("Email").FillAsync("demo@spotoptimizer.local");
        await page.GetByLabel("Password").FillAsync("wrong-password-1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        var refused = page.GetByRole(AriaRole.Alert);
        await Assertions.Expect(refused).ToContainTextAsync("invalid_credentials");

        await page.GetByLabel("Password").FillAsync(DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/dashboard");
        await Assertions.Expect(page.GetByTestId("kpi-spend")).ToContainTextAsync("/ month");
        await Assertions.Expect(page.GetByTestId("clusters").Locator("tbody tr")).ToHaveCountAsync(3);
        // The 12-month projection of the three clusters, summed: the demo's On-Demand nodes make optimizing worth something.
        await Assertions.Expect(page.GetByTestId("projection-summary")).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"\$[1-9][0-9,]* saved"));
        await Assertions.Expect(page.GetByTestId("projection").Locator("svg").First).ToBeVisibleAsync();
        await browser.ScreenshotAsync("dashboard-demo");

        // A bookmarked link works after a reload: the session survives in the tab.
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard" })).ToBeVisibleAsync();
    }

    [SkippableFact]
    public async Task Dashboard_AnActionElsewhere_AppearsInTheActivityFeedWithoutReload()
    {
        await using var app = Browser.DemoPlatform();
        await using var browser = await Browser.OpenAsync(app);
        var page = browser.Page;
        await browser.SignInAsync("/dashboard");
        await Assertions.Expect(page.GetByTestId("activity-state")).ToHaveTextAsync("live");

        // Another session of the same organization (the API, as a teammate's script would) invites someone.
        var owner = await TenantClient.SignInDemoAsync(app, DemoPassword);
        await owner.PostJsonAsync("/api/team/invitations", new { email = "new-teammate@example.com", role = "member" }, System.Net.HttpStatusCode.Created);

        await Assertions.Expect(page.GetByTestId("activity")).ToContainTextAsync("team.member_invited");
        await browser.ScreenshotAsync("dashboard-live-activity");
    }

    [SkippableFact]
    public async Task UnknownPath_StaysA404ProblemForApiClients_UiRoutesServeThePage()
    {
        await using var app = SpotOptimizerApp.Sqlite();
        var client = app.CreateClient();

        using var page = await client.GetAsync("/dashboard");
        using var unknown = await client.GetAsync("/no/such/page");

        Assert.Equal(System.Net.HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("_framework/blazor.webassembly", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);

        // Every page of the UI is bookmarkable, parameters included (the routes come from the pages themselves).
        foreach (var route in new[] { "/templates", "/settings", "/admin/health", "/admin/lab", "/policies/0f8fad5b-d9cb-469f-a165-70867728950e" })
        {
            using var bookmarked = await client.GetAsync(route);
            Assert.True(bookmarked.StatusCode == System.Net.HttpStatusCode.OK, $"{route}: {(int)bookmarked.StatusCode}");
        }
    }
}

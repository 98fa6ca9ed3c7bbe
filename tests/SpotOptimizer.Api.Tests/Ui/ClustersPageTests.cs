using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SpotOptimizer.Api.Tests.Optimization;

namespace SpotOptimizer.Api.Tests.Ui;

/// <summary>The cluster registry in a real browser: Optimize now follows its job to the end; a discovered cluster is connected and its install commands shown.</summary>
public sealed partial class ClustersPageTests
{
    private const string DemoPassword = Browser.DemoPassword;

    [SkippableFact]
    public async Task OptimizeNow_FollowsTheJobToItsEnd_ConnectShowsTheInstallCommands()
    {
        await using var app = Browser.DemoPlatform(OptimizationJourney.FastCloud);
        await using var browser = await Browser.OpenAsync(app);
        var owner = await TenantClient.SignInDemoAsync(app, DemoPassword);
        var clusters = (await owner.GetJsonAsync("/api/client/clusters")).GetProperty("clusters").EnumerateArray().ToList();
        var unmanaged = clusters.Single(c => c.GetProperty("name").GetString() == "data-pipeline").GetProperty("cluster_id").GetString();
        using (await owner.Http.DeleteAsync($"/api/clusters/{unmanaged}"))
        {
        }

        var page = browser.Page;
        await browser.SignInAsync("/dashboard");
        await page.GetByRole(AriaRole.Link, new() { Name = "Clusters" }).ClickAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Optimize now (prod-api)" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("job-status")).ToHaveTextAsync(Finished(), new() { Timeout = 60_000 });

        await page.GetByTestId("discovered").GetByRole(AriaRole.Button, new() { Name = "Connect" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("install")).ToContainTextAsync("Install the agent");
        await Assertions.Expect(page.GetByLabel("Helm")).ToHaveValueAsync(new Regex("^helm "));
        await Assertions.Expect(page.GetByTestId("managed").Locator("tbody tr")).ToHaveCountAsync(3);
        await browser.ScreenshotAsync("clusters-connect");
    }

    [GeneratedRegex("^(succeeded|partial|failed|cancelled) ")]
    private static partial Regex Finished();
}

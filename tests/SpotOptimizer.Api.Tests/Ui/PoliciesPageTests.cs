using Microsoft.Playwright;

namespace SpotOptimizer.Api.Tests.Ui;

/// <summary>A policy changed in the UI is saved through the API and shows, field by field, in the audit log's diff.</summary>
public sealed class PoliciesPageTests
{
    [SkippableFact]
    public async Task DryRunSwitchedOn_SavedAndAudited_TheDiffNamesTheField()
    {
        await using var app = Browser.DemoPlatform();
        await using var browser = await Browser.OpenAsync(app);
        var page = browser.Page;
        await browser.SignInAsync("/dashboard");

        await page.GetByRole(AriaRole.Link, new() { Name = "Policies" }).ClickAsync();
        var dryRun = page.GetByLabel("Dry run: plan and audit, change nothing");
        await Assertions.Expect(dryRun).Not.ToBeCheckedAsync();
        await dryRun.CheckAsync();
        await Assertions.Expect(page.GetByTestId("policy")).ToContainTextAsync("Policy version 2");

        var owner = await TenantClient.SignInDemoAsync(app, Browser.DemoPassword);
        var clusterId = (await owner.GetJsonAsync("/api/client/clusters")).GetProperty("clusters")[0].GetProperty("cluster_id").GetString();
        Assert.True((await owner.GetJsonAsync($"/api/policies/{clusterId}")).GetProperty("policy").GetProperty("dry_run").GetBoolean());

        await page.GetByRole(AriaRole.Link, new() { Name = "Audit log" }).ClickAsync();
        await page.GetByLabel("Action").FillAsync("policy.updated");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await page.GetByTestId("entries").Locator("tbody tr").First.GetByRole(AriaRole.Button, new() { Name = "Changes" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("diff")).ToContainTextAsync("dry_run");
        await browser.ScreenshotAsync("policy-audit-diff");
    }
}

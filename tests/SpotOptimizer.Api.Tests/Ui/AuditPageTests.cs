using System.Net.Http.Json;
using Microsoft.Playwright;

namespace SpotOptimizer.Api.Tests.Ui;

/// <summary>The audit log in a real browser: a policy change made through the API is found by its action, its diff shows the field, the chain verifies, and the export downloads.</summary>
public sealed class AuditPageTests
{
    [SkippableFact]
    public async Task PolicyChange_FoundInTheLog_DiffShowsTheField_ChainIntact_ExportDownloads()
    {
        await using var app = Browser.DemoPlatform();
        await using var browser = await Browser.OpenAsync(app);
        var owner = await TenantClient.SignInDemoAsync(app, Browser.DemoPassword);
        var clusterId = (await owner.GetJsonAsync("/api/client/clusters")).GetProperty("clusters")[0].GetProperty("cluster_id").GetString();
        using (var patched = await owner.Http.PatchAsJsonAsync("/api/policies/binpack", new { cluster_id = clusterId, aggressiveness = 73 }))
        {
            patched.EnsureSuccessStatusCode();
        }

        var page = browser.Page;
        await browser.SignInAsync("/dashboard");
        await page.GetByRole(AriaRole.Link, new() { Name = "Audit log" }).ClickAsync();

        await page.GetByLabel("Action").FillAsync("policy.updated");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        var rows = page.GetByTestId("entries").Locator("tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await rows.First.GetByRole(AriaRole.Button, new() { Name = "Changes" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("diff")).ToContainTextAsync("73");
        await page.GetByRole(AriaRole.Button, new() { Name = "Close the changes" }).ClickAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Verify the chain" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("verdict")).ToContainTextAsync("Chain intact");
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Export CSV" }).ClickAsync());
        Assert.EndsWith(".csv", download.SuggestedFilename, StringComparison.Ordinal);
        Assert.Contains("policy.updated", await File.ReadAllTextAsync(await download.PathAsync()), StringComparison.Ordinal);
        await browser.ScreenshotAsync("audit-log");
    }
}

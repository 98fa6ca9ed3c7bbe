using Microsoft.Playwright;

namespace SpotOptimizer.Api.Tests.Ui;

/// <summary>The weekly grid in a real browser: a drag puts Monday's first six hours to sleep, the schedule saves, and the wake-up override holds.</summary>
public sealed class HibernationPageTests
{
    [SkippableFact]
    public async Task DragAcrossMondayNight_SavedAsAsleep_WakeUpOverrideSet()
    {
        await using var app = Browser.DemoPlatform();
        await using var browser = await Browser.OpenAsync(app);
        var page = browser.Page;
        await browser.SignInAsync("/dashboard");
        await page.GetByRole(AriaRole.Link, new() { Name = "Hibernation" }).ClickAsync();

        var first = page.GetByRole(AriaRole.Button, new() { Name = "Mon 00:00" });
        var last = page.GetByRole(AriaRole.Button, new() { Name = "Mon 05:00" });
        await Assertions.Expect(first).ToHaveAttributeAsync("aria-pressed", "true");
        await first.HoverAsync();
        await page.Mouse.DownAsync();
        await last.HoverAsync();
        await page.Mouse.UpAsync();
        await Assertions.Expect(last).ToHaveAttributeAsync("aria-pressed", "false");
        // Keyboards toggle one hour: Tuesday 03:00 goes to sleep too.
        await page.GetByRole(AriaRole.Button, new() { Name = "Tue 03:00" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save schedule" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Save schedule" })).ToBeDisabledAsync();

        var owner = await TenantClient.SignInDemoAsync(app, Browser.DemoPassword);
        var clusterId = (await owner.GetJsonAsync("/api/client/clusters")).GetProperty("clusters")[0].GetProperty("cluster_id").GetString();
        var matrix = (await owner.GetJsonAsync($"/api/hibernation/{clusterId}")).GetProperty("schedule_matrix").EnumerateArray().Select(v => v.GetInt32()).ToList();
        Assert.Equal(Enumerable.Range(0, 168).Select(slot => slot is < 6 or 27 ? 0 : 1), matrix);

        await page.GetByRole(AriaRole.Button, new() { Name = "Wake up now" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("power")).ToContainTextAsync("kept awake until");
        Assert.Equal(System.Text.Json.JsonValueKind.String, (await owner.GetJsonAsync($"/api/hibernation/{clusterId}")).GetProperty("override_until").ValueKind);
        await browser.ScreenshotAsync("hibernation-grid");
    }
}

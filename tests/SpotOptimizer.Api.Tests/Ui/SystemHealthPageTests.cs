using Microsoft.Playwright;

namespace SpotOptimizer.Api.Tests.Ui;

/// <summary>A super admin's system health in a real browser: a light per background loop, and the platform's log lines arriving live.</summary>
public sealed class SystemHealthPageTests
{
    private const string AdminEmail = Browser.AdminEmail;
    private const string AdminPassword = Browser.AdminPassword;

    [SkippableFact]
    public async Task WorkerLights_AndALogLineArrivingWithoutReload()
    {
        await using var app = Browser.DemoPlatformWithAdmin();
        await using var browser = await Browser.OpenAsync(app);
        var page = browser.Page;
        await browser.SignInAsync("/admin", AdminEmail, AdminPassword);
        await page.GetByRole(AriaRole.Link, new() { Name = "System health" }).ClickAsync();

        await Assertions.Expect(page.GetByTestId("workers").Locator("tbody tr")).Not.ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("workers")).ToContainTextAsync("discovery");
        await Assertions.Expect(page.GetByTestId("runtime")).ToContainTextAsync("1 silo(s)");
        await Assertions.Expect(page.GetByTestId("log-state")).ToHaveTextAsync("live");

        // Another admin session (a script) acts as the demo client: the platform logs it, and the line streams in.
        var admin = await TenantClient.SignInAsync(app, AdminEmail, AdminPassword);
        var demo = (await admin.GetJsonAsync("/api/admin/clients")).GetProperty("clients").EnumerateArray()
            .Single(c => c.GetProperty("name").GetString() == "Demo Co").GetProperty("client_id").GetString();
        await admin.PostJsonAsync("/api/admin/impersonate", new { client_id = demo });
        await Assertions.Expect(page.GetByTestId("log-stream")).ToContainTextAsync("[ADMIN-API]", new() { Timeout = 15_000 });
        await browser.ScreenshotAsync("system-health");
    }
}

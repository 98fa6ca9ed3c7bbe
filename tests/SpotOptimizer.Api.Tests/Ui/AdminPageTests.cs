using Microsoft.Playwright;

namespace SpotOptimizer.Api.Tests.Ui;

/// <summary>A super admin in a real browser: lands on the clients, acts as one under a visible banner, sees that client's dashboard, and comes back.</summary>
public sealed class AdminPageTests
{
    private const string AdminEmail = Browser.AdminEmail;
    private const string AdminPassword = Browser.AdminPassword;

    [SkippableFact]
    public async Task SuperAdmin_ActsAsTheDemoClient_UnderABanner_ThenStops()
    {
        await using var app = Browser.DemoPlatformWithAdmin();
        await using var browser = await Browser.OpenAsync(app);
        var page = browser.Page;
        await browser.SignInAsync("/admin", AdminEmail, AdminPassword);
        await Assertions.Expect(page.GetByTestId("impersonation-banner")).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Button, new() { Name = "Act as Demo Co" }).ClickAsync();
        await page.WaitForURLAsync("**/dashboard");
        await Assertions.Expect(page.GetByTestId("impersonation-banner")).ToContainTextAsync("Demo Co");
        await Assertions.Expect(page.GetByTestId("clusters").Locator("tbody tr")).ToHaveCountAsync(3);
        await browser.ScreenshotAsync("admin-impersonating");

        await page.GetByRole(AriaRole.Button, new() { Name = "Stop acting as Demo Co" }).ClickAsync();
        await page.WaitForURLAsync("**/admin");
        await Assertions.Expect(page.GetByTestId("impersonation-banner")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("clients")).ToContainTextAsync("Demo Co");
    }
}

using Microsoft.Playwright;

namespace SpotOptimizer.Api.Tests.Ui;

/// <summary>Settings in a real browser: the password change (checked before submit, refused with the platform's reason), an agent token revoked after a confirmation, the linked accounts.</summary>
public sealed class SettingsPageTests
{
    [SkippableFact]
    public async Task Password_Tokens_Accounts()
    {
        await using var app = Browser.DemoPlatform();
        await using var browser = await Browser.OpenAsync(app);
        var page = browser.Page;
        await browser.SignInAsync("/dashboard");
        await page.GetByRole(AriaRole.Link, new() { Name = "Settings" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("accounts")).ToContainTextAsync("active");

        await page.GetByLabel("Current password").FillAsync("not-the-password");
        await page.GetByLabel("New password", new() { Exact = true }).FillAsync("Another-Password-2027");
        await page.GetByLabel("Repeat the new password").FillAsync("Another-Password-2028");
        await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Assertions.Expect(page.GetByText("The two new passwords differ.")).ToBeVisibleAsync();
        await page.GetByLabel("Repeat the new password").FillAsync("Another-Password-2027");
        // Leaving the field commits it (as a user moves on to the button); a click in the same instant lands where the
        // cleared validation message had pushed the button.
        await page.GetByLabel("Repeat the new password").PressAsync("Tab");
        await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("wrong_password");

        await page.GetByLabel("Current password").FillAsync(Browser.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("settings-notice")).ToContainTextAsync("Password changed");
        await TenantClient.SignInDemoAsync(app, "Another-Password-2027");

        var owner = await TenantClient.SignInDemoAsync(app, "Another-Password-2027");
        var prodApi = (await owner.GetJsonAsync("/api/client/clusters")).GetProperty("clusters").EnumerateArray()
            .Single(c => c.GetProperty("name").GetString() == "prod-api").GetProperty("cluster_id").GetString();
        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke the agent token of prod-api" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("settings-notice")).ToContainTextAsync("The agent token of prod-api is revoked.");
        var actions = (await owner.GetJsonAsync("/api/audit?limit=20")).GetProperty("entries").EnumerateArray()
            .Select(e => (e.GetProperty("action").GetString(), e.GetProperty("resource").GetString())).ToList();
        Assert.Contains(("cluster.agent_token_revoked", $"cluster:{prodApi}"), actions);
        await browser.ScreenshotAsync("settings");
    }
}

using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace SpotOptimizer.Api.Tests.Ui;

/// <summary>
/// Every page of the UI through axe-core (WCAG 2.x A and AA: labels, names, contrast, landmarks) in light and dark
/// mode, and at a phone's width: nothing wider than the screen, and the navigation reachable from the menu button.
/// </summary>
public sealed class AccessibilityTests
{
    private const string AdminEmail = Browser.AdminEmail;
    private const string AdminPassword = Browser.AdminPassword;

    private static readonly string[] ClientPages = ["/dashboard", "/clusters", "/policies", "/hibernation", "/risk", "/templates", "/audit", "/settings", "/onboarding"];

    [SkippableFact]
    public async Task EveryPage_PassesAxe_InLightAndDarkMode()
    {
        await using var app = Browser.DemoPlatformWithAdmin();
        await using var browser = await Browser.OpenAsync(app);
        var page = browser.Page;
        var violations = new List<string>();

        foreach (var path in new[] { "/login", "/signup" }) violations.AddRange(await CheckAsync(page, path));

        await browser.SignInAsync("/dashboard");
        foreach (var path in ClientPages) violations.AddRange(await CheckLightAndDarkAsync(page, path));

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await browser.SignInAsync("/admin", AdminEmail, AdminPassword);
        foreach (var path in new[] { "/admin", "/admin/health", "/admin/lab", "/admin/lab/experiments" }) violations.AddRange(await CheckLightAndDarkAsync(page, path));

        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    [SkippableFact]
    public async Task PhoneWidth_NothingOverflows_NavigationFromTheMenu()
    {
        await using var app = Browser.DemoPlatform();
        await using var browser = await Browser.OpenAsync(app, width: 390, height: 844);
        var page = browser.Page;
        await browser.SignInAsync("/dashboard");
        var overflowing = new List<string>();
        foreach (var path in ClientPages)
        {
            await OpenAsync(page, path);
            var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
            var (content, screen) = (widths[0], widths[1]);
            if (content > screen) overflowing.Add($"{path}: {content} px wide on a {screen} px screen");
            await browser.ScreenshotAsync($"phone{path.Replace('/', '-')}");
        }

        Assert.True(overflowing.Count == 0, string.Join(Environment.NewLine, overflowing));

        // On a phone the navigation is closed over the page until the menu button opens it.
        var clusters = page.GetByRole(AriaRole.Link, new() { Name = "Clusters" });
        await Assertions.Expect(clusters).Not.ToBeInViewportAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Menu" }).ClickAsync();
        await clusters.ClickAsync();
        await page.WaitForURLAsync("**/clusters");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Clusters", Level = 1 })).ToBeVisibleAsync();
    }

    internal static async Task OpenAsync(IPage page, string path)
    {
        // Through the address bar, as a bookmark would: the page must stand on its own.
        await page.GotoAsync(path);
        // A fresh WebAssembly start on a loaded 2-core CI machine can take longer than Playwright's default 5 s.
        await Assertions.Expect(page.Locator("h1")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        // Loading bars gone: what is checked is the page with its data.
        await Assertions.Expect(page.Locator(".mud-progress-linear-indeterminate")).ToHaveCountAsync(0, new() { Timeout = 15_000 });
    }

    private static async Task<IEnumerable<string>> CheckAsync(IPage page, string path)
    {
        await OpenAsync(page, path);
        return await AxeAsync(page, path, "light");
    }

    /// <summary>
    /// The page in light mode, then switched to dark mode in place: the choice is not kept across a reload, so a page
    /// opened after switching would be checked in light mode again.
    /// </summary>
    internal static async Task<IEnumerable<string>> CheckLightAndDarkAsync(IPage page, string path)
    {
        var violations = (await CheckAsync(page, path)).ToList();
        await page.GetByRole(AriaRole.Button, new() { Name = "Use dark mode" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Use light mode" })).ToBeVisibleAsync();
        // The fields' labels fade to their dark colours (a CSS transition): contrast is measured once they are there.
        await page.WaitForFunctionAsync("() => document.getAnimations().filter(a => a instanceof CSSTransition).every(a => a.playState !== 'running')");
        violations.AddRange(await AxeAsync(page, path, "dark"));
        return violations;
    }

    private static async Task<IEnumerable<string>> AxeAsync(IPage page, string path, string mode)
    {
        var result = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
        return result.Violations.Select(v =>
            $"{path} ({mode}): {v.Id} — {v.Help}: {string.Join(" ; ", v.Nodes.Take(3).Select(n => n.Html))}");
    }
}

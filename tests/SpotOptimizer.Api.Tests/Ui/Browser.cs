using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Playwright;

namespace SpotOptimizer.Api.Tests.Ui;

/// <summary>
/// Headless Chromium from the machine's package (Playwright cannot download its own here), driven by Playwright, on a
/// platform instance listening on a real port. Skipped where Chromium is missing, except on CI (which installs it).
/// </summary>
public sealed class Browser : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public IPage Page { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    /// <param name="app">A platform started on Kestrel (the demo turns it on).</param>
    public static async Task<Browser> OpenAsync(SpotOptimizerApp app, int width = 1280, int height = 800)
    {
        if (!File.Exists(ChromiumPath))
        {
            Assert.False(string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase), $"CI must install chromium ({ChromiumPath})");
            Skip.If(true, $"no Chromium at {ChromiumPath}");
        }

        app.StartServer();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var browser = new Browser { BaseAddress = new Uri(address.Replace("[::]", "localhost", StringComparison.Ordinal)), _playwright = await Playwright.CreateAsync() };
        browser._browser = await browser._playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // As root and on a closed network: no sandbox, and none of Chromium's own calls home.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var context = await browser._browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height }, BaseURL = browser.BaseAddress.ToString() });
        browser.Page = await context.NewPageAsync();
        return browser;
    }

    public const string DemoEmail = "demo@spotoptimizer.local";
    public const string DemoPassword = "Demo-Password-2026";

    public const string AdminEmail = "admin@spotoptimizer.example";
    public const string AdminPassword = "Console-Secret-2026!";

    /// <summary>The embedded default as a user starts it: the demo tenant with its clusters and agents, on a real port.</summary>
    public static SpotOptimizerApp DemoPlatform(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>()) { ["Demo:Enabled"] = "true", ["Demo:Password"] = DemoPassword };
        return SpotOptimizerApp.With(all);
    }

    /// <summary>The demo platform with its configured super admin (<see cref="AdminEmail"/>).</summary>
    public static SpotOptimizerApp DemoPlatformWithAdmin() =>
        DemoPlatform(new Dictionary<string, string?> { ["Auth:SuperAdminEmail"] = AdminEmail, ["Auth:SuperAdminPassword"] = AdminPassword });

    /// <summary>Signs in through the sign-in page and waits for the page the platform sends that user to.</summary>
    public async Task SignInAsync(string landing, string email = DemoEmail, string password = DemoPassword)
    {
        await Page.GotoAsync("/login");
        await Page.GetByLabel("Email").FillAsync(email);
        await Page.GetByLabel("Password").FillAsync(password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Page.WaitForURLAsync($"**{landing}");
    }

    /// <summary>A screenshot under the test results, named for the journey step.</summary>
    public async Task ScreenshotAsync(string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");
        Directory.CreateDirectory(folder);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{name}.png"), FullPage = true });
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}

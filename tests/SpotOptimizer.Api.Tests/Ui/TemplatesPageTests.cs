using Microsoft.Playwright;

namespace SpotOptimizer.Api.Tests.Ui;

/// <summary>Node templates in a real browser: the wizard shows the platform's validation inline and refuses what can never run; a template is created, made the default and deleted.</summary>
public sealed class TemplatesPageTests
{
    [SkippableFact]
    public async Task Wizard_WarnsInline_BlocksAnUnusableTemplate_CreatesDefaultsAndDeletes()
    {
        await using var app = Browser.DemoPlatform();
        await using var browser = await Browser.OpenAsync(app);
        var page = browser.Page;
        await browser.SignInAsync("/dashboard");
        await page.GetByRole(AriaRole.Link, new() { Name = "Templates" }).ClickAsync();

        var create = page.GetByRole(AriaRole.Button, new() { Name = "Create template" });
        await create.ClickAsync();
        // The browser refuses the empty required name before the form is submitted.
        Assert.True(await page.GetByLabel("Template name").EvaluateAsync<bool>("input => input.validity.valueMissing"));
        await page.GetByLabel("Template name").FillAsync("gpu-arm");
        await page.GetByLabel("Smallest (vCPU)").FillAsync("64");
        await page.GetByLabel("Largest (vCPU)").FillAsync("8");
        await page.GetByLabel("Instance families").FillAsync("m6i");
        await page.GetByLabel("Instance families").PressAsync("Tab");
        await create.ClickAsync();
        await Assertions.Expect(page.GetByText("The largest size must be at least the smallest.")).ToBeVisibleAsync();
        await page.GetByLabel("Smallest (vCPU)").FillAsync("2");

        await page.GetByLabel("arm64 (Graviton)").CheckAsync();
        await page.GetByLabel("x86_64").UncheckAsync();
        await page.GetByLabel("Instance families").FillAsync("g4dn");
        var warnings = page.GetByTestId("template-warnings");
        await Assertions.Expect(warnings).ToContainTextAsync("g4dn is x86_64 only");
        await Assertions.Expect(create).ToBeDisabledAsync();

        // Allowing x86_64 too makes g4dn usable: only the GPU cost warning stays, and saving is allowed.
        await page.GetByLabel("x86_64").CheckAsync();
        await Assertions.Expect(warnings).ToContainTextAsync("carries GPUs");
        await Assertions.Expect(warnings).Not.ToContainTextAsync("x86_64 only");
        await browser.ScreenshotAsync("templates-wizard");
        await create.ClickAsync();

        var table = page.GetByTestId("templates");
        await Assertions.Expect(table).ToContainTextAsync("gpu-arm");
        // The first template is the default; making a second one the default moves the star.
        var gpuStar = page.GetByRole(AriaRole.Button, new() { Name = "Make gpu-arm the default" });
        await Assertions.Expect(gpuStar).ToHaveAttributeAsync("aria-pressed", "true");
        await page.GetByLabel("Template name").FillAsync("general");
        await page.GetByLabel("Instance families").FillAsync("m6i, c6i");
        await page.GetByLabel("Instance families").PressAsync("Tab");
        await create.ClickAsync();
        var generalStar = page.GetByRole(AriaRole.Button, new() { Name = "Make general the default" });
        await generalStar.ClickAsync();
        await Assertions.Expect(generalStar).ToHaveAttributeAsync("aria-pressed", "true");
        await Assertions.Expect(gpuStar).ToHaveAttributeAsync("aria-pressed", "false");

        var owner = await TenantClient.SignInDemoAsync(app, Browser.DemoPassword);
        var stored = (await owner.GetJsonAsync("/api/templates")).GetProperty("templates").EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!);
        Assert.True(stored["general"].GetProperty("is_default").GetBoolean());
        Assert.False(stored["gpu-arm"].GetProperty("is_default").GetBoolean());
        Assert.Equal(["arm64", "x86_64"], stored["gpu-arm"].GetProperty("architectures").EnumerateArray().Select(a => a.GetString()).Order(StringComparer.Ordinal));
        Assert.Equal(["c6i", "m6i"], stored["general"].GetProperty("families").EnumerateArray().Select(a => a.GetString()).Order(StringComparer.Ordinal));

        await page.GetByRole(AriaRole.Button, new() { Name = "Delete gpu-arm" }).ClickAsync();
        await Assertions.Expect(table).Not.ToContainTextAsync("gpu-arm");
        await Assertions.Expect(table).ToContainTextAsync("general");
    }
}

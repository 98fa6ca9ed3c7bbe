using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SpotOptimizer.Api.Tests.Onboarding;

namespace SpotOptimizer.Api.Tests.Ui;

/// <summary>
/// A new customer in a real browser, as the seed's first flow: sign up, link an AWS account (the simulated console
/// stands in for AWS's), watch discovery, connect a cluster, see its agent light turn green when the agent reports,
/// and land on the dashboard's KPIs. Only the agent is played over HTTP: it is a program in the customer's cluster.
/// </summary>
public sealed partial class NewCustomerJourneyTests
{
    [SkippableFact]
    public async Task SignUp_Link_Discover_Connect_SeeKpis()
    {
        await using var app = Browser.DemoPlatform();
        await using var browser = await Browser.OpenAsync(app);
        var page = browser.Page;

        await page.GotoAsync("/signup");
        await page.GetByLabel("Organization").FillAsync("Journey Corp");
        await page.GetByLabel("Email").FillAsync("owner@journey.example");
        await page.GetByLabel("Password").FillAsync("short");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign up" }).ClickAsync();
        await Assertions.Expect(page.GetByText("The password must be at least 10 characters.")).ToBeVisibleAsync();
        await page.GetByLabel("Password").FillAsync("Journey-Password-2026");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign up" }).ClickAsync();
        await page.WaitForURLAsync("**/onboarding");

        await page.GetByRole(AriaRole.Button, new() { Name = "Start linking" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("external-id")).ToHaveTextAsync(Uuid());

        // A malformed ARN is refused in the page; a role the stack never created is refused by the platform.
        await page.GetByLabel("AWS account id", new() { Exact = true }).FillAsync("123");
        await page.GetByLabel("Role ARN").FillAsync("not-an-arn");
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await Assertions.Expect(page.GetByText("An AWS account id is 12 digits.")).ToBeVisibleAsync();
        await page.GetByLabel("AWS account id", new() { Exact = true }).FillAsync("444455556666");
        await page.GetByLabel("Role ARN").FillAsync("arn:aws:iam::444455556666:role/SpotOptimizer");
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("role_not_found");

        await page.GetByLabel("Simulated AWS account id").FillAsync("444455556666");
        await page.GetByRole(AriaRole.Button, new() { Name = "Deploy in the simulated console" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Role ARN")).ToHaveValueAsync(new Regex("^arn:aws:iam::444455556666:role/"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("discovery-status")).ToHaveTextAsync("Discovery finished · 2 clusters found", new() { Timeout = 30_000 });
        await browser.ScreenshotAsync("journey-discovery");

        await page.GetByRole(AriaRole.Link, new() { Name = "Connect a cluster" }).ClickAsync();
        await page.WaitForURLAsync("**/clusters");
        await page.GetByTestId("discovered").GetByRole(AriaRole.Button, new() { Name = "Connect" }).First.ClickAsync();
        var helm = await page.GetByLabel("Helm").InputValueAsync();
        var agentToken = AgentToken().Match(helm).Groups[1].Value;
        var light = page.GetByTestId("managed").GetByTestId("agent-light");
        await Assertions.Expect(light).ToHaveTextAsync(new Regex("^(red|not connected)$"));

        using (var beat = await Journey.HeartbeatAsync(app.CreateClient(), agentToken))
        {
            Assert.Equal(HttpStatusCode.OK, beat.StatusCode);
        }

        await Assertions.Expect(light).ToHaveTextAsync("green", new() { Timeout = 15_000 });
        await browser.ScreenshotAsync("journey-connected");

        await page.GetByRole(AriaRole.Link, new() { Name = "Dashboard" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("kpi-spend")).ToContainTextAsync("/ month");
        await Assertions.Expect(page.GetByTestId("clusters").Locator("tbody tr")).ToHaveCountAsync(1);
        await browser.ScreenshotAsync("journey-dashboard");
    }

    [GeneratedRegex("^[0-9a-f-]{36}$")]
    private static partial Regex Uuid();

    [GeneratedRegex(@"--set agent\.token=(\S+)")]
    private static partial Regex AgentToken();
}

using System.Net;
using Microsoft.Playwright;
using SpotOptimizer.Api.Tests.Onboarding;
using SpotOptimizer.Api.Tests.Optimization;
using SpotOptimizer.Cloud;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Api.Tests.Ui;

/// <summary>
/// The Lab's experiments in a real browser, on the admin's own simulated cluster (linked and connected through the API
/// first): an A/B test started from the form whose arms' points arrive live, through a network drop, until it is
/// stopped; and a live switch whose steps appear one by one. Ticks are fast (200 ms) and nodes boot and stop at once.
/// </summary>
public sealed class LabExperimentsPageTests
{
    private const string AwsAccount = "444455556666";

    private static SpotOptimizerApp LabPlatform() => Browser.DemoPlatform(OptimizationJourney.Settings(
        ("Auth:SuperAdminEmail", Browser.AdminEmail), ("Auth:SuperAdminPassword", Browser.AdminPassword), ("Lab:TickInterval", "00:00:00.200"), ("Lab:MinSamples", "3"),
        ("Optimizer:FirstRun", "1.00:00:00"), ("Cloud:Simulator:StopTime", "00:00:00")));

    /// <summary>The admin's organization links the simulated account and connects its first cluster; its On-Demand nodes.</summary>
    private static async Task<(TenantClient Admin, IReadOnlyList<string> Nodes)> ConnectClusterAsync(SpotOptimizerApp app)
    {
        var admin = await TenantClient.SignInAsync(app, Browser.AdminEmail, Browser.AdminPassword);
        var accountId = await Journey.LinkAccountAsync(admin, AwsAccount);
        var (clusterId, _, _) = await Journey.ConnectFirstClusterAsync(admin, accountId);
        var name = (await admin.GetJsonAsync($"/api/clusters/{clusterId}")).GetProperty("name").GetString();
        var nodes = OptimizationJourney.SimulatedCloudOf(app).World.FindAccount(AwsAccount)!.FindRegion("us-east-1")!.Instances
            .Where(n => n.Instance.ClusterName == name && n.TerminatedAt is null && n.Instance.Lifecycle == InstanceLifecycle.OnDemand)
            .Select(n => n.Instance.InstanceId).ToList();
        Assert.True(nodes.Count >= 2, $"the simulated cluster should have two On-Demand nodes, has {nodes.Count}");
        return (admin, nodes);
    }

    private static async Task OpenExperimentsAsync(Browser browser)
    {
        await browser.SignInAsync("/admin", Browser.AdminEmail, Browser.AdminPassword);
        await browser.Page.GetByRole(AriaRole.Link, new() { Name = "The Lab" }).ClickAsync();
        await browser.Page.GetByRole(AriaRole.Link, new() { Name = "Experiments", Exact = true }).ClickAsync();
        await Assertions.Expect(browser.Page.GetByRole(AriaRole.Heading, new() { Name = "Experiments", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(browser.Page.GetByTestId("no-experiments")).ToBeVisibleAsync(new() { Timeout = 15_000 });
    }

    private static async Task<int> PointsAsync(IPage page, string arm) => int.Parse((await page.GetByTestId($"points-{arm}").GetAttributeAsync("data-count"))!);

    /// <summary>Both arms have more points than <paramref name="than"/> on the page, which is never reloaded.</summary>
    private static Task WaitForPointsAsync(IPage page, int than, string what) => Eventually.Wait(
        async () => Math.Min(await PointsAsync(page, "A"), await PointsAsync(page, "B")), n => n > than, TimeSpan.FromSeconds(30), what);

    [SkippableFact]
    public async Task AbTest_StartedFromTheForm_ArmsArriveLiveThroughADrop_Stopped()
    {
        await using var app = LabPlatform();
        await using var browser = await Browser.OpenAsync(app);
        var (admin, nodes) = await ConnectClusterAsync(app);
        var page = browser.Page;
        var sockets = new List<IWebSocketRoute>();
        var cut = false;
        await page.RouteWebSocketAsync("**/hubs/lab**", socket =>
        {
            // While the network is down a new connection is refused; otherwise it is passed through to the platform.
            if (cut)
            {
                _ = socket.CloseAsync(new() { Code = 1006, Reason = "network down" });
                return;
            }

            socket.ConnectToServer();
            lock (sockets) sockets.Add(socket);
        });
        await page.RouteAsync("**/hubs/lab**", route => cut ? route.AbortAsync("internetdisconnected") : route.ContinueAsync());
        await OpenExperimentsAsync(browser);

        await page.GetByLabel("Arm A node (instance id)").FillAsync(nodes[0]);
        await page.GetByLabel("Arm A node (instance id)").PressAsync("Tab");
        await page.GetByLabel("Arm B node (instance id)").FillAsync(nodes[1]);
        await page.GetByLabel("Arm B node (instance id)").PressAsync("Tab");
        // The form's selects: cluster, arm A's model, arm B's model.
        await page.GetByTestId("ab-form").Locator("div.mud-select > .mud-input-control").Nth(2).ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Built-in model" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Start the A/B test" }).ClickAsync();

        await page.WaitForURLAsync("**/admin/lab/experiments/*");
        var id = page.Url[(page.Url.LastIndexOf('/') + 1)..];
        await Assertions.Expect(page.GetByTestId("feed-state")).ToHaveTextAsync("live", new() { Timeout = 15_000 });
        await WaitForPointsAsync(page, 3, "both arms' first points, live");
        await ExpectArmsOnSpotAsync(page, admin, id);
        await Assertions.Expect(page.GetByTestId("chart-savings").Locator("svg").First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("chart-boot").Locator("svg").First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("verdict")).ToBeVisibleAsync();

        // The network drops: the page says so, comes back by itself, watches again, and the points go on arriving.
        cut = true;
        IWebSocketRoute[] open;
        lock (sockets) open = [.. sockets];
        foreach (var socket in open) await socket.CloseAsync(new() { Code = 1006, Reason = "network down" });
        await Assertions.Expect(page.GetByTestId("feed-state")).ToHaveTextAsync("reconnecting…");
        var beforeReconnect = Math.Max(await PointsAsync(page, "A"), await PointsAsync(page, "B"));
        cut = false;
        // The retry steps are 0, 2, 10 and 30 s: the next attempt after the network is back may be half a minute away.
        await Assertions.Expect(page.GetByTestId("feed-state")).ToHaveTextAsync("live", new() { Timeout = 45_000 });
        await WaitForPointsAsync(page, beforeReconnect + 3, "points after the reconnection");
        await browser.ScreenshotAsync("lab-ab-test");

        await page.GetByRole(AriaRole.Button, new() { Name = "Stop the test" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("experiment-status")).ToHaveTextAsync("stopped");
        await Assertions.Expect(page.GetByTestId("feed-state")).ToHaveTextAsync("finished");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Stop the test" })).ToHaveCountAsync(0);
        Assert.Equal("stopped", (await admin.GetJsonAsync($"/api/lab/experiments/{id}")).GetProperty("status").GetString());
        await browser.ScreenshotAsync("lab-ab-test-stopped");

        await CheckAccessibleAndNarrowAsync(browser, "/admin/lab/experiments", $"/admin/lab/experiments/{id}");
    }

    [SkippableFact]
    public async Task LiveSwitch_InvalidNodeRefusedThenStarted_ShowsEachStepAndItsOutcome()
    {
        await using var app = LabPlatform();
        await using var browser = await Browser.OpenAsync(app);
        var (_, nodes) = await ConnectClusterAsync(app);
        var page = browser.Page;
        await OpenExperimentsAsync(browser);

        var node = page.GetByLabel("Node to switch (instance id)");
        await node.FillAsync("node-1");
        await node.PressAsync("Tab");
        await page.GetByRole(AriaRole.Button, new() { Name = "Switch the node to Spot" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("switch-form")).ToContainTextAsync("An EC2 instance id looks like i-0123456789abcdef0.");

        await node.FillAsync(nodes[0]);
        await node.PressAsync("Tab");
        await page.GetByRole(AriaRole.Button, new() { Name = "Switch the node to Spot" }).ClickAsync();

        await page.WaitForURLAsync("**/admin/lab/experiments/*");
        await Assertions.Expect(page.GetByTestId("experiment-status")).ToHaveTextAsync("completed", new() { Timeout = 30_000 });
        var steps = page.GetByTestId("step");
        foreach (var step in new[] { "stop_instance", "launch_spot", "boot" })
        {
            await Assertions.Expect(page.Locator($"[data-testid='step'][data-step='{step}']")).ToHaveAttributeAsync("data-status", "ok");
        }

        Assert.DoesNotContain("rollback", await page.GetByTestId("steps").InnerTextAsync(), StringComparison.Ordinal);
        await Assertions.Expect(page.GetByTestId("arms")).ToContainTextAsync("Spot us-east-1");
        await Assertions.Expect(page.GetByTestId("events")).ToContainTextAsync("moved to Spot");
        await browser.ScreenshotAsync("lab-live-switch");
        Assert.True(await steps.CountAsync() >= 3);
    }

    /// <summary>The arms table shows both arms on Spot; if not, the failure carries what the experiment itself says (its latest points).</summary>
    private static async Task ExpectArmsOnSpotAsync(IPage page, TenantClient admin, string id)
    {
        try
        {
            await Assertions.Expect(page.GetByTestId("arms")).ToContainTextAsync("Spot us-east-1", new() { Timeout = 15_000 });
        }
        catch (PlaywrightException exception)
        {
            var experiment = await admin.GetJsonAsync($"/api/lab/experiments/{id}");
            var latest = experiment.GetProperty("series").EnumerateArray().TakeLast(6).Select(p => p.GetRawText());
            throw new Xunit.Sdk.XunitException($"{exception.Message}{Environment.NewLine}The experiment's latest points:{Environment.NewLine}{string.Join(Environment.NewLine, latest)}");
        }
    }

    /// <summary>Each page through axe-core in light and dark mode, then at a phone's width: nothing wider than the screen.</summary>
    private static async Task CheckAccessibleAndNarrowAsync(Browser browser, params string[] paths)
    {
        var page = browser.Page;
        var problems = new List<string>();
        foreach (var path in paths) problems.AddRange(await AccessibilityTests.CheckLightAndDarkAsync(page, path));

        await page.SetViewportSizeAsync(390, 844);
        foreach (var path in paths)
        {
            await AccessibilityTests.OpenAsync(page, path);
            var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
            if (widths[0] > widths[1]) problems.Add($"{path}: {widths[0]} px wide on a {widths[1]} px screen");
            await browser.ScreenshotAsync($"phone{path.Replace('/', '-')}");
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }
}

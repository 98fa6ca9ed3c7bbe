using Microsoft.Playwright;

namespace SpotOptimizer.Api.Tests.Ui;

/// <summary>
/// The live feed through a network drop: the browser's WebSocket to the hub is cut (Playwright routes it through the
/// test), the page says it is reconnecting, comes back by itself, and shows what happened while it was down.
/// </summary>
public sealed class NetworkDropTests
{
    [SkippableFact]
    public async Task ActivityFeed_WebSocketCut_ReconnectsAndCatchesUp()
    {
        await using var app = Browser.DemoPlatform();
        await using var browser = await Browser.OpenAsync(app);
        var page = browser.Page;
        var sockets = new List<IWebSocketRoute>();
        var cut = false;
        await page.RouteWebSocketAsync("**/hubs/activity**", socket =>
        {
            // While the network is down, a new connection is refused; otherwise it is passed through to the platform.
            if (cut)
            {
                _ = socket.CloseAsync(new() { Code = 1006, Reason = "network down" });
                return;
            }

            socket.ConnectToServer();
            lock (sockets) sockets.Add(socket);
        });
        // The down network also refuses the hub's HTTP requests (negotiation, long polling), so no fallback transport gets through.
        await page.RouteAsync("**/hubs/activity**", route => cut ? route.AbortAsync("internetdisconnected") : route.ContinueAsync());
        await browser.SignInAsync("/dashboard");
        var state = page.GetByTestId("activity-state");
        await Assertions.Expect(state).ToHaveTextAsync("live");

        cut = true;
        IWebSocketRoute[] open;
        lock (sockets) open = [.. sockets];
        foreach (var socket in open) await socket.CloseAsync(new() { Code = 1006, Reason = "network down" });
        await Assertions.Expect(state).ToHaveTextAsync("reconnecting…");

        // Something happens while the page is cut off.
        var owner = await TenantClient.SignInDemoAsync(app, Browser.DemoPassword);
        await owner.PostJsonAsync("/api/team/invitations", new { email = "during-the-drop@example.com", role = "member" }, System.Net.HttpStatusCode.Created);

        cut = false;
        // The retry steps are 0, 2, 10 and 30 s: the next attempt after the network is back may be half a minute away.
        await Assertions.Expect(state).ToHaveTextAsync("live", new() { Timeout = 45_000 });
        await Assertions.Expect(page.GetByTestId("activity")).ToContainTextAsync("team.member_invited");

        // And the feed is live again: the next event arrives without reload.
        await owner.PostJsonAsync("/api/team/invitations", new { email = "after-the-drop@example.com", role = "member" }, System.Net.HttpStatusCode.Created);
        await Assertions.Expect(page.GetByTestId("activity").GetByText("team.member_invited")).ToHaveCountAsync(2);
        await browser.ScreenshotAsync("network-drop-recovered");
    }
}

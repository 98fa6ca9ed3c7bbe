using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using SpotOptimizer.Dashboard.Services;

namespace SpotOptimizer.Dashboard.Tests;

/// <summary>A page left while it was still loading disposes its feed before starting it; that must not kill the app.</summary>
public sealed class LiveFeedTests
{
    [Fact]
    public async Task StartAfterDispose_DoesNothing()
    {
        await using var ctx = DashboardTest.NewContext();
        var feed = ctx.Services.GetRequiredService<LiveFeed>();
        await feed.DisposeAsync();

        await feed.StartAsync<string>("/hubs/activity", "activity", _ => { });

        Assert.Equal(HubConnectionState.Disconnected, feed.State);
        await feed.DisposeAsync();
    }
}

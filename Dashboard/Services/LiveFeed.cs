using System.Text.Json;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace SpotOptimizer.Dashboard.Services;

/// <summary>
/// One of the platform's SignalR hubs as the UI listens to it: the session's token on the connection, and automatic
/// reconnection after a network drop (0, 2, 10, 30 s, then every 30 s), with the connection's state for the page to show.
/// </summary>
public sealed class LiveFeed(NavigationManager navigation, Session session) : IAsyncDisposable
{
    private HubConnection? _connection;

    public event Action? StateChanged;

    public HubConnectionState State => _connection?.State ?? HubConnectionState.Disconnected;

    public async Task StartAsync<T>(string hubPath, string method, Action<T> received)
    {
        _connection = new HubConnectionBuilder()
            .WithUrl(navigation.ToAbsoluteUri(hubPath), options => options.AccessTokenProvider = async () => await session.TokenAsync())
            .WithAutomaticReconnect(new Forever())
            .AddJsonProtocol(options => options.PayloadSerializerOptions = new JsonSerializerOptions(PlatformApi.Json))
            .Build();
        _connection.On(method, received);
        _connection.Reconnecting += _ => Changed();
        _connection.Reconnected += _ => Changed();
        _connection.Closed += _ => Changed();
        await _connection.StartAsync();
        StateChanged?.Invoke();
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null) await _connection.DisposeAsync();
    }

    private Task Changed()
    {
        StateChanged?.Invoke();
        return Task.CompletedTask;
    }

    /// <summary>Keeps trying: a console left open should come back by itself when the network does.</summary>
    private sealed class Forever : IRetryPolicy
    {
        private static readonly TimeSpan[] Steps = [TimeSpan.Zero, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30)];

        public TimeSpan? NextRetryDelay(RetryContext retryContext) => Steps[Math.Min(retryContext.PreviousRetryCount, Steps.Length - 1)];
    }
}

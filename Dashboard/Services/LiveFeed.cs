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
    private readonly CancellationTokenSource _disposed = new();
    private HubConnection? _connection;
    private Task _connecting = Task.CompletedTask;
    private Func<Task>? _joined;
    private bool _stopped;

    public event Action? StateChanged;

    /// <summary>The connection came back after a drop: what was sent meanwhile is lost, so a page reads its state again.</summary>
    public event Action? Resumed;

    public HubConnectionState State => _connection?.State ?? HubConnectionState.Disconnected;

    /// <summary>
    /// Connects, and keeps trying when the first connection fails (the automatic reconnection only covers a connection
    /// that was once up). Never throws: a page must not die because the network did; the state says what is happening.
    /// </summary>
    /// <param name="joined">
    /// Runs after every connection, the first and each one after a drop (before <see cref="Resumed"/>): on a hub whose
    /// subscriptions belong to the connection (the Lab's <c>Watch</c>) this is where a page subscribes again and reads
    /// what it missed. It handles its own failures.
    /// </param>
    public Task StartAsync<T>(string hubPath, string method, Action<T> received, Func<Task>? joined = null)
    {
        // A page left while it was still loading has disposed its feed already: nothing to start.
        if (_stopped) return Task.CompletedTask;
        _connection = new HubConnectionBuilder()
            .WithUrl(navigation.ToAbsoluteUri(hubPath), options => options.AccessTokenProvider = async () => await session.TokenAsync())
            .WithAutomaticReconnect(new Forever())
            .AddJsonProtocol(options => options.PayloadSerializerOptions = new JsonSerializerOptions(PlatformApi.Json))
            .Build();
        _joined = joined;
        _connection.On(method, received);
        _connection.Reconnecting += _ => Changed();
        _connection.Reconnected += async _ =>
        {
            await JoinedAsync();
            Resumed?.Invoke();
            await Changed();
        };
        _connection.Closed += _ => Changed();
        _connecting = ConnectAsync(_connection, _disposed.Token);
        return Task.CompletedTask;
    }

    private async Task ConnectAsync(HubConnection connection, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await connection.StartAsync(cancellationToken);
                await Changed();
                break;
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception)
            {
                // Down or refused for now (a restart, a network drop): the next attempt follows the reconnection steps.
                await Changed();
            }

            await Task.Delay(Forever.Steps[Math.Min(attempt + 1, Forever.Steps.Length - 1)], cancellationToken)
                .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
            if (cancellationToken.IsCancellationRequested) return;
        }

        await JoinedAsync();
    }

    /// <summary>Calls a hub method on the open connection (a drop meanwhile fails the call; <c>joined</c> runs again after the reconnection).</summary>
    public Task<TResult> InvokeAsync<TResult>(string hubMethod, string argument) =>
        _connection is { } connection ? connection.InvokeAsync<TResult>(hubMethod, argument, _disposed.Token) : throw new InvalidOperationException("The feed is not started.");

    private Task JoinedAsync() => _joined is { } joined && !_stopped ? joined() : Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_stopped) return;
        _stopped = true;
        await _disposed.CancelAsync();
        await _connecting;
        if (_connection is not null) await _connection.DisposeAsync();
        _disposed.Dispose();
    }

    private Task Changed()
    {
        StateChanged?.Invoke();
        return Task.CompletedTask;
    }

    /// <summary>Keeps trying: a console left open should come back by itself when the network does.</summary>
    private sealed class Forever : IRetryPolicy
    {
        public static readonly TimeSpan[] Steps = [TimeSpan.Zero, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30)];

        public TimeSpan? NextRetryDelay(RetryContext retryContext) => Steps[Math.Min(retryContext.PreviousRetryCount, Steps.Length - 1)];
    }
}

using System.Globalization;
using System.Threading.Channels;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using SpotOptimizer.Api.Auth;

namespace SpotOptimizer.Api.Hubs;

/// <summary>Structured log lines for super admins (method <c>log</c>): <c>[TIMESTAMP] [COMPONENT-ID] [ACTION] [RESULT] [DURATION]</c>.</summary>
[Authorize(Policy = AuthServices.SuperAdminPolicy)]
public sealed class AdminLogsHub : Hub
{
    public const string Path = "/hubs/admin-logs";
    public const string Method = "log";
    public const string Group = "admin-logs";

    public override Task OnConnectedAsync() => Groups.AddToGroupAsync(Context.ConnectionId, Group);
}

/// <summary>
/// A logger provider that keeps the product's own log lines (Information and above) in a bounded queue for the
/// admin hub; when no one drains it fast enough the oldest lines go, never the process's memory.
/// </summary>
public sealed class AdminLogSink : ILoggerProvider
{
    private readonly Channel<string> _lines = Channel.CreateBounded<string>(
        new BoundedChannelOptions(5_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public ChannelReader<string> Lines => _lines.Reader;

    public ILogger CreateLogger(string categoryName) => new Writer(this, categoryName);

    public void Dispose() => _lines.Writer.TryComplete();

    /// <summary>Lines already in the seed's format keep theirs; others get one built from the category and level.</summary>
    public static string Format(DateTimeOffset at, string category, LogLevel level, string message)
    {
        var timestamp = at.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);
        if (message.StartsWith('[')) return $"[{timestamp}] {message}";
        var component = category[(category.LastIndexOf('.') + 1)..].ToUpperInvariant();
        return $"[{timestamp}] [{component}] [LOG] [{level.ToString().ToUpperInvariant()}] [-] {message}";
    }

    private sealed class Writer(AdminLogSink sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) =>
            logLevel >= LogLevel.Information && (category.StartsWith("SpotOptimizer", StringComparison.Ordinal) || category == "ADMIN-API");

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) sink._lines.Writer.TryWrite(Format(DateTimeOffset.UtcNow, category, logLevel, formatter(state, exception)));
        }
    }
}

/// <summary>Drains the sink into the admin hub's group.</summary>
internal sealed class AdminLogForwarder(AdminLogSink sink, IHubContext<AdminLogsHub> hub) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var line in sink.Lines.ReadAllAsync(stoppingToken))
        {
            await hub.Clients.Group(AdminLogsHub.Group).SendAsync(AdminLogsHub.Method, line, stoppingToken);
        }
    }
}

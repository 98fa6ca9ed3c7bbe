using System.Net;
using SpotOptimizer.Agent.Reporting;
using SpotOptimizer.Agent.SafeMode;

namespace SpotOptimizer.Agent.Commands;

/// <summary>
/// The command channel's calls to the platform (long poll, results, safe-mode reports), on the same outbound HTTPS and
/// agent token as the inventory. A refusal throws <see cref="HttpRequestException"/> carrying the status code (401 for
/// a revoked token), as <see cref="PlatformClient"/> does.
/// </summary>
public sealed class CommandChannel(HttpClient http, string token)
{
    private readonly PlatformClient _platform = new(http, token);

    public async Task<IReadOnlyList<AgentCommand>> PollAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        var seconds = (int)Math.Clamp(wait.TotalSeconds, 0, 30);
        var batch = await SendAsync<CommandBatch>(HttpMethod.Get, $"api/agent/commands?wait={seconds}", null, cancellationToken);
        return batch.Commands ?? [];
    }

    public Task PostResultAsync(string commandId, CommandResult result, CancellationToken cancellationToken) =>
        SendAsync<System.Text.Json.JsonElement>(HttpMethod.Post, $"api/agent/commands/{Uri.EscapeDataString(commandId)}/result", result, cancellationToken);

    public Task PostSafeModeAsync(SafeModeReport report, CancellationToken cancellationToken) =>
        SendAsync<System.Text.Json.JsonElement>(HttpMethod.Post, "api/agent/safe-mode", report, cancellationToken);

    private Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken) =>
        _platform.SendAsync<T>(method, path, body, cancellationToken);

    public static bool IsRevoked(HttpRequestException e) => e.StatusCode == HttpStatusCode.Unauthorized;
}

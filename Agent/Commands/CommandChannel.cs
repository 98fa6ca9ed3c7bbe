using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
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

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = JsonContent.Create(body, body.GetType(), options: PlatformClient.Json);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var problem = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HttpRequestException($"The platform refused {method} /{path.Split('?')[0]} ({(int)response.StatusCode}): {problem}", null, response.StatusCode);
        }

        return (await response.Content.ReadFromJsonAsync<T>(PlatformClient.Json, cancellationToken))!;
    }

    public static bool IsRevoked(HttpRequestException e) => e.StatusCode == HttpStatusCode.Unauthorized;
}

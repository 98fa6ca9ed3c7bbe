using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace SpotOptimizer.Api.Tests.Agent;

/// <summary>The test acting as the in-cluster agent over HTTP: polls for commands and posts their results.</summary>
public sealed class AgentChannel(HttpClient http, string token) : IDisposable
{
    public HttpClient Http { get; } = Authorized(http, token);

    public async Task<HttpResponseMessage> PollAsync(int wait = 0) => await Http.GetAsync($"/api/agent/commands?wait={wait}");

    public async Task<IReadOnlyList<JsonElement>> CommandsAsync(int wait = 0)
    {
        using var response = await PollAsync(wait);
        var body = await TenantClient.ExpectAsync(response, HttpStatusCode.OK);
        return [.. body.GetProperty("commands").EnumerateArray().Select(c => c.Clone())];
    }

    public async Task<HttpResponseMessage> PostResultAsync(string id, string status, string? code = null, int? evictedPods = null, bool dryRun = false) =>
        await Http.PostAsJsonAsync($"/api/agent/commands/{id}/result", new { status, code, detail = (string?)null, evicted_pods = evictedPods, dry_run = dryRun });

    public async Task<HttpResponseMessage> SafeModeAsync(string state, DateTimeOffset enteredAt) =>
        await Http.PostAsJsonAsync("/api/agent/safe-mode", new
        {
            state, entered_at = enteredAt, reason = "platform_unreachable", unreachable_seconds = 360, actions = new[] { "nodepools_on_demand_only" },
        });

    /// <summary>
    /// Answers every command until cancelled: <paramref name="answer"/> picks each result (status, code); what it
    /// answered, in order, is returned.
    /// </summary>
    public async Task<List<JsonElement>> ServeAsync(Func<JsonElement, int, (string Status, string? Code)> answer, CancellationToken stop)
    {
        var answered = new List<JsonElement>();
        while (!stop.IsCancellationRequested)
        {
            foreach (var command in await CommandsAsync(wait: 1))
            {
                var (status, code) = answer(command, answered.Count);
                var kind = command.GetProperty("kind").GetString();
                using var posted = await PostResultAsync(command.GetProperty("id").GetString()!, status, code,
                    kind == "drain" && status == "succeeded" ? 2 : null, command.GetProperty("dry_run").GetBoolean());
                await TenantClient.ExpectAsync(posted, HttpStatusCode.OK);
                answered.Add(command);
            }
        }

        return answered;
    }

    public void Dispose() => Http.Dispose();

    private static HttpClient Authorized(HttpClient http, string token)
    {
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }
}

using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SpotOptimizer.Agent.Tests.Commands;

/// <summary>
/// A stand-in for the platform's side of the command channel, speaking the issue's wire contract on a loopback port:
/// pending commands (written here as raw snake_case JSON, so the agent's reading of the contract is tested too), the
/// results and safe-mode reports it received, and a switch that makes it answer 503 (down) or 401 (token revoked).
/// </summary>
internal sealed class FakePlatform(WebApplication app) : IAsyncDisposable
{
    public const string Token = "soa_test";

    private readonly ConcurrentDictionary<string, JsonObject> _pending = new(StringComparer.Ordinal);

    public Uri BaseAddress { get; } = new(app.Urls.First().TrimEnd('/') + "/");

    /// <summary>200 (up), 503 (down) or 401 (revoked) for every call.</summary>
    public int Answer { get; set; } = 200;

    public ConcurrentQueue<(string Id, JsonElement Body)> PostedResults { get; } = new();

    public ConcurrentQueue<JsonElement> SafeModeReports { get; } = new();

    public static async Task<FakePlatform> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FakePlatform? platform = null;
        app.Use(async (context, next) =>
        {
            if (platform!.Answer != 200 || context.Request.Headers.Authorization != $"Bearer {Token}")
            {
                context.Response.StatusCode = platform.Answer == 200 ? 401 : platform.Answer;
                return;
            }

            await next(context);
        });
        app.MapGet("/api/agent/commands", () => Results.Json(new JsonObject { ["commands"] = new JsonArray([.. platform!._pending.Values.Select(c => (JsonNode)c.DeepClone())]) }));
        app.MapPost("/api/agent/commands/{id}/result", (string id, JsonElement body) =>
        {
            if (!platform!._pending.TryRemove(id, out _) && !platform.PostedResults.Any(r => r.Id == id)) return Results.NotFound();
            platform.PostedResults.Enqueue((id, body));
            return Results.Json(new { id, status = body.GetProperty("status").GetString() });
        });
        app.MapPost("/api/agent/safe-mode", (JsonElement body) =>
        {
            platform!.SafeModeReports.Enqueue(body);
            return Results.Json(new { acknowledged = true });
        });
        await app.StartAsync();
        return platform = new FakePlatform(app);
    }

    /// <summary>Queues a command as the platform would issue it; returns its id.</summary>
    /// <param name="id">An id already issued, to hand the same command out again (as after a lost result).</param>
    public string Issue(string kind, string? node = null, bool dryRun = false, JsonObject? extra = null, string? id = null)
    {
        id ??= $"cmd_{Guid.NewGuid():N}";
        var command = Command(id, kind, node, dryRun, extra);
        _pending[id] = command;
        return id;
    }

    public static JsonObject Command(string id, string kind, string? node = null, bool dryRun = false, JsonObject? extra = null)
    {
        var command = new JsonObject
        {
            ["id"] = id, ["kind"] = kind, ["node_name"] = node, ["instance_id"] = null, ["dry_run"] = dryRun,
            ["labels"] = null, ["taints"] = null, ["remove_taints"] = null, ["karpenter"] = null, ["excluded_namespaces"] = null,
            ["issued_at"] = "2026-01-05T00:00:00Z", ["expires_at"] = "2026-01-05T01:00:00Z",
        };
        foreach (var (key, value) in extra ?? []) command[key] = value?.DeepClone();
        return command;
    }

    public JsonElement ResultOf(string id) => PostedResults.Last(r => r.Id == id).Body;

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}

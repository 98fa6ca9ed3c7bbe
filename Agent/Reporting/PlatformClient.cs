using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using SpotOptimizer.Agent.Inventory;

namespace SpotOptimizer.Agent.Reporting;

/// <summary>The agent's only connection to the platform: outbound HTTPS, authenticated by the cluster's agent token.</summary>
public sealed class PlatformClient(HttpClient http, string token)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>What the platform answers; <see cref="InventoryVersion"/> moves only when the report's content changed.</summary>
    public sealed record InventoryAck(string ClusterId, int PolicyVersion, DateTimeOffset ReceivedAt, int InventoryVersion);

    /// <exception cref="HttpRequestException">The platform refused the report (the message carries its problem body) or was unreachable.</exception>
    public Task<InventoryAck> ReportAsync(InventoryReport report, CancellationToken cancellationToken) =>
        SendAsync<InventoryAck>(HttpMethod.Post, "api/agent/inventory", report, cancellationToken);

    /// <summary>One call of the agent's API, as JSON both ways.</summary>
    /// <exception cref="PlatformRefusal">A refusal, carrying the status code (401 for a revoked token), the problem body and any <c>Retry-After</c>.</exception>
    /// <exception cref="HttpRequestException">The platform was unreachable.</exception>
    public async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = JsonContent.Create(body, body.GetType(), options: Json);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var problem = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new PlatformRefusal($"The platform refused {method} /{path.Split('?')[0]} ({(int)response.StatusCode}): {problem}", response.StatusCode,
                PlatformRefusal.RetryAfterOf(response, DateTimeOffset.UtcNow));
        }

        return (await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken))!;
    }
}

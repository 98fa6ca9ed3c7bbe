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
    public async Task<InventoryAck> ReportAsync(InventoryReport report, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/agent/inventory") { Content = JsonContent.Create(report, options: Json) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var problem = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HttpRequestException($"The platform refused the inventory ({(int)response.StatusCode}): {problem}", null, response.StatusCode);
        }

        return (await response.Content.ReadFromJsonAsync<InventoryAck>(Json, cancellationToken))!;
    }
}

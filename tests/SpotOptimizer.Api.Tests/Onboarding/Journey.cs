using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Api.Tests.Onboarding;

/// <summary>The steps a new customer takes, through the HTTP API only, for tests to compose.</summary>
public static class Journey
{
    /// <summary>Link → deploy the stack in the simulated console → verify → wait for discovery to finish.</summary>
    public static async Task<string> LinkAccountAsync(TenantClient tenant, string awsAccountId)
    {
        var link = await tenant.PostJsonAsync("/api/connect/link", null);
        var externalId = link.GetProperty("external_id").GetString()!;
        var stack = await tenant.PostJsonAsync("/api/simulator/stacks", new { aws_account_id = awsAccountId, external_id = externalId });
        var verified = await tenant.PostJsonAsync("/api/connect/verify",
            new { account_id = awsAccountId, role_arn = stack.GetProperty("role_arn").GetString() });
        var accountId = verified.GetProperty("account_id").GetString()!;
        await WaitForStatusAsync(tenant, accountId, "active");
        return accountId;
    }

    public static Task<JsonElement> WaitForStatusAsync(TenantClient tenant, string accountId, string status) =>
        Eventually.Wait(
            async () => (await tenant.GetJsonAsync("/api/connect/accounts")).GetProperty("accounts").EnumerateArray()
                .FirstOrDefault(a => a.GetProperty("account_id").GetString() == accountId),
            a => a.ValueKind == JsonValueKind.Object && a.GetProperty("status").GetString() == status,
            what: $"account {accountId} to become {status}");

    public static async Task<(string ClusterId, string AgentToken, string HelmCommand)> ConnectFirstClusterAsync(TenantClient tenant, string accountId)
    {
        var found = await tenant.GetJsonAsync($"/api/clusters/discover?account_id={accountId}");
        var clusterId = found.GetProperty("clusters").EnumerateArray().First().GetProperty("cluster_id").GetString()!;
        var connected = await tenant.PostJsonAsync("/api/clusters/connect", new { cluster_id = clusterId });
        return (clusterId, connected.GetProperty("agent_token").GetString()!, connected.GetProperty("helm_command").GetString()!);
    }

    public static async Task<HttpResponseMessage> HeartbeatAsync(HttpClient http, string agentToken, object? body = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/agent/heartbeat")
        {
            Content = JsonContent.Create(body ?? new { agent_version = "1.4.2", node_count = 5, pod_count = 40 }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", agentToken);
        return await http.SendAsync(request);
    }

    public static async Task<IReadOnlyList<string>> ActivityActionsAsync(TenantClient tenant) =>
        [.. (await tenant.GetJsonAsync("/api/activity/live?limit=200")).GetProperty("events").EnumerateArray()
            .Select(e => e.GetProperty("action").GetString()!)];

    public static void AssertStatus(HttpResponseMessage response, HttpStatusCode expected) =>
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}");
}

using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using SpotOptimizer.Api.Tests.Onboarding;
using SpotOptimizer.Api.Tests.Optimization;

namespace SpotOptimizer.Api.Tests;

/// <summary>
/// The document's success schemas are the answers' real shapes: a customer's journey over HTTP, every answer held to
/// what <c>/openapi/v1.json</c> declares for its operation and status (<see cref="OpenApiContract"/>). A
/// <c>.Produces&lt;WrongType&gt;()</c> or a schema two types share fails here, naming the operation and the property; so does
/// a request body the journey sends that its declared request schema (<c>.AcceptsJson&lt;T&gt;()</c>) does not describe.
/// </summary>
public sealed class OpenApiContractTests
{
    private readonly List<string> _problems = [];
    private readonly HashSet<string> _checked = [];
    private OpenApiContract _contract = null!;
    private HttpClient _http = null!;

    [Fact]
    public async Task CustomerJourney_EveryAnswer_MatchesTheSchemaTheDocumentDeclares()
    {
        await using var app = SpotOptimizerApp.With(OptimizationJourney.FastCloud);
        _http = app.CreateClient();
        using var document = JsonDocument.Parse(await _http.GetStringAsync("/openapi/v1.json"));
        _contract = new OpenApiContract(document.RootElement);

        var email = $"owner-{Guid.NewGuid():N}@example.com";
        var signup = await CallAsync("post", "/api/auth/signup", new { org_name = "Contract", email, password = TenantClient.Password });
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", signup.GetProperty("token").GetString());
        var tenant = new TenantClient(_http, signup.GetProperty("token").GetString()!, signup.GetProperty("organization_id").GetString()!, email);
        await CallAsync("post", "/api/auth/token", new { email, password = TenantClient.Password });
        await CallAsync("get", "/api/auth/me");

        var awsAccountId = Random.Shared.NextInt64(100_000_000_000, 999_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var link = await CallAsync("post", "/api/connect/link");
        var stack = await CallAsync("post", "/api/simulator/stacks", new { aws_account_id = awsAccountId, external_id = link.GetProperty("external_id").GetString() });
        var verified = await CallAsync("post", "/api/connect/verify", new { account_id = awsAccountId, role_arn = stack.GetProperty("role_arn").GetString() });
        var accountId = verified.GetProperty("account_id").GetString()!;
        await Journey.WaitForStatusAsync(tenant, accountId, "active");
        await CallAsync("get", "/api/connect/accounts");
        var discovered = await CallAsync("get", "/api/clusters/discover", query: $"?account_id={accountId}");
        var clusterId = discovered.GetProperty("clusters")[0].GetProperty("cluster_id").GetString()!;
        var connected = await CallAsync("post", "/api/clusters/connect", new { cluster_id = clusterId });
        await AgentAsync("/api/agent/heartbeat", connected.GetProperty("agent_token").GetString()!, new { agent_version = "1.4.2", node_count = 5, pod_count = 40 });
        await CallAsync("get", "/api/install/agent-manifest/{ticket}", url: new Uri(connected.GetProperty("manifest_url").GetString()!).AbsolutePath);
        await CallAsync("get", "/api/connect/template");

        await ClusterAsync(clusterId);
        await GovernanceAsync(clusterId);
        foreach (var read in (string[])["/api/audit", "/api/audit/verify", "/api/audit/export", "/api/activity/live", "/api/team/members", "/api/team/invitations",
            "/api/audit/retention", "/api/audit/archives", "/api/notifications/rules", "/api/notifications/settings", "/api/notifications/deliveries",
            "/api/reports/weekly", "/api/commitments", "/api/metrics/kpi", "/api/client/clusters", "/api/organization/export"])
        {
            await CallAsync("get", read);
        }

        await CallAsync("get", "/api/audit/export", query: "?format=csv");
        await CallAsync("delete", "/api/clusters/{id}/agent-token", url: $"/api/clusters/{clusterId}/agent-token");
        await CallAsync("delete", "/api/clusters/{id}", url: $"/api/clusters/{clusterId}");
        await CallAsync("post", "/api/auth/logout");

        Assert.True(_checked.Count >= 40, $"only {_checked.Count} operations answered");
        Assert.True(_problems.Count == 0, "Answers that differ from /openapi/v1.json:\n" + string.Join('\n', _problems));
    }

    /// <summary>The cluster's own reads, and an optimization job from 202 to its finished view.</summary>
    private async Task ClusterAsync(string clusterId)
    {
        foreach (var read in (string[])["/api/clusters/{id}", "/api/clusters/{id}/verify", "/api/clusters/{id}/commands", "/api/clusters/{id}/recommendations",
            "/api/simulator/clusters/{id}/kubeconfig"])
        {
            await CallAsync("get", read, url: read.Replace("{id}", clusterId, StringComparison.Ordinal));
        }

        await CallAsync("get", "/api/metrics/projection", query: $"?cluster_id={clusterId}");
        var accepted = await CallAsync("post", "/api/clusters/{id}/optimize", url: $"/api/clusters/{clusterId}/optimize");
        var jobId = accepted.GetProperty("job_id").GetString()!;
        await OptimizationJourney.FinishedAsync(new TenantClient(_http, "", "", ""), jobId);
        await CallAsync("get", "/api/jobs/{jobId}", url: $"/api/jobs/{jobId}");
        await CallAsync("get", "/api/clusters/{id}/jobs", url: $"/api/clusters/{clusterId}/jobs");
    }

    /// <summary>Policies, hibernation and templates: reads, and a change of each answering the new state.</summary>
    private async Task GovernanceAsync(string clusterId)
    {
        await CallAsync("get", "/api/policies/{clusterId}", url: $"/api/policies/{clusterId}");
        await CallAsync("patch", "/api/policies/binpack", new { cluster_id = clusterId, aggressiveness = 50 });
        await CallAsync("get", "/api/hibernation/{clusterId}", url: $"/api/hibernation/{clusterId}");
        await CallAsync("patch", "/api/hibernation/tz", new { cluster_id = clusterId, timezone = "Europe/Berlin" });
        var created = await CallAsync("post", "/api/templates",
            new { name = "general", families = new[] { "m5" }, architectures = new[] { "x86_64" }, strategy = "spot", min_vcpu = 2, max_vcpu = 8 });
        var templateId = created.GetProperty("template").GetProperty("id").GetString()!;
        await CallAsync("patch", "/api/templates/{id}/default", url: $"/api/templates/{templateId}/default");
        await CallAsync("get", "/api/templates");
        await CallAsync("post", "/api/templates/validate", new { families = new[] { "m5", "p3" }, arch = "x86_64" });
    }

    private async Task AgentAsync(string template, string agentToken, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, template) { Content = Json("post", template, body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", agentToken);
        await CheckAsync("post", template, await _http.SendAsync(request));
    }

    /// <summary>Calls the operation (at <paramref name="url"/>, or its template) and checks its answer, which must be a success.</summary>
    private async Task<JsonElement> CallAsync(string method, string template, object? body = null, string? url = null, string query = "")
    {
        using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), (url ?? template) + query);
        request.Content = Json(method, template, body);
        return await CheckAsync(method, template, await _http.SendAsync(request));
    }

    /// <summary>The body as sent, held to the operation's declared request body first (none is checked too).</summary>
    private StringContent? Json(string method, string template, object? body)
    {
        var json = body is null ? null : JsonSerializer.Serialize(body);
        _problems.AddRange(_contract.CheckRequest(method, template, json));
        return json is null ? null : new StringContent(json, Encoding.UTF8, "application/json");
    }

    private async Task<JsonElement> CheckAsync(string method, string template, HttpResponseMessage response)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{method.ToUpperInvariant()} {template} answered {(int)response.StatusCode}: {text}");
            _checked.Add($"{method} {template}");
            _problems.AddRange(_contract.Check(method, template, (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, text));
            return response.Content.Headers.ContentType?.MediaType == "application/json" && text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default;
        }
    }
}

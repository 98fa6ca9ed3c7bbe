using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using SpotOptimizer.Api.Tests.Onboarding;
using SpotOptimizer.Grains.Interfaces.Accounts;
using SpotOptimizer.Testing;
using Orleans;

namespace SpotOptimizer.Api.Tests.Sweeps;

/// <summary>How a tenant-scoped route must treat a caller from another organization.</summary>
public enum Isolation
{
    /// <summary>Names a resource by id: another tenant's id answers exactly like an id that does not exist (404 <c>not_found</c>).</summary>
    ForeignIdIsNotFound,

    /// <summary>Lists the caller's own data: none of another tenant's ids may appear in it.</summary>
    ListsOwnDataOnly,

    /// <summary>Names no resource id; acts on the caller's organization. Fed another tenant's identifiers, it leaves that tenant unchanged.</summary>
    ActsOnCallerOnly,
}

/// <summary>
/// One tenant-scoped route and how tenant B calls it. In <see cref="Url"/> and <see cref="Body"/>, <c>{account}</c> and
/// <c>{cluster}</c> become one of A's ids (or an id that does not exist), <c>{a.*}</c> and <c>{b.*}</c> the tenants'
/// other identifiers. <see cref="Own"/> is B's identifier a listing must show; <see cref="Prepare"/> is a body-less
/// POST B sends first; <see cref="Refused"/> says the call must answer 4xx.
/// </summary>
public sealed record TenantRoute(
    string Method, string Pattern, Isolation Isolation, string Url, string? Body = null, string? Own = null, string? Prepare = null, bool Refused = false)
{
    public string Name => $"{Method} {Pattern}";
}

/// <summary>
/// Tenant B walks every tenant-scoped route with tenant A's ids and identifiers: it must learn nothing (A's ids answer
/// like ids that do not exist, B's listings hold nothing of A's) and change nothing of A's (A's views, activity,
/// agent token and AWS link are as before). Adding a route to <see cref="Routes"/> is all it takes to sweep it;
/// <see cref="Routes_EveryTenantScopedApiRoute_IsInTheTable"/> fails when the app maps one that is not there.
/// </summary>
public sealed class TenantIsolationTests(TenantIsolationTests.World world) : IClassFixture<TenantIsolationTests.World>
{
    public static readonly IReadOnlyList<TenantRoute> Routes =
    [
        new("GET", "/api/clusters/discover", Isolation.ForeignIdIsNotFound, "/api/clusters/discover?account_id={account}"),
        new("POST", "/api/clusters/connect", Isolation.ForeignIdIsNotFound, "/api/clusters/connect", """{"cluster_id":"{cluster}"}"""),
        new("GET", "/api/clusters/{id}/verify", Isolation.ForeignIdIsNotFound, "/api/clusters/{cluster}/verify"),
        new("DELETE", "/api/clusters/{id}/agent-token", Isolation.ForeignIdIsNotFound, "/api/clusters/{cluster}/agent-token"),
        new("GET", "/api/clusters/{id}", Isolation.ForeignIdIsNotFound, "/api/clusters/{cluster}"),
        new("DELETE", "/api/clusters/{id}", Isolation.ForeignIdIsNotFound, "/api/clusters/{cluster}"),
        new("DELETE", "/api/connect/accounts/{id}", Isolation.ForeignIdIsNotFound, "/api/connect/accounts/{account}"),
        new("GET", "/api/audit/retention", Isolation.ActsOnCallerOnly, "/api/audit/retention"),
        new("PUT", "/api/audit/retention", Isolation.ActsOnCallerOnly, "/api/audit/retention", """{"days":365}"""),
        // B has no archives to list; a foreign archive id answering 404 is covered by AuditRetentionTests.
        new("GET", "/api/audit/archives", Isolation.ActsOnCallerOnly, "/api/audit/archives"),
        new("GET", "/api/audit/archives/{id}", Isolation.ActsOnCallerOnly, "/api/audit/archives/{cluster}"),
        new("GET", "/api/organization/export", Isolation.ListsOwnDataOnly, "/api/organization/export", Own: "{b.account}"),
        // Refused: B's confirmation (A's External ID) is not B's name, so nothing is deleted, B's organization included.
        new("DELETE", "/api/organization/", Isolation.ActsOnCallerOnly, "/api/organization", """{"confirm":"{a.external_id}"}""", Refused: true),
        new("GET", "/api/client/clusters", Isolation.ListsOwnDataOnly, "/api/client/clusters", Own: "{b.cluster}"),
        new("GET", "/api/connect/accounts", Isolation.ListsOwnDataOnly, "/api/connect/accounts", Own: "{b.account}"),
        new("GET", "/api/activity/live", Isolation.ListsOwnDataOnly, "/api/activity/live?limit=500", Own: "{b.account}"),
        new("GET", "/api/audit/", Isolation.ListsOwnDataOnly, "/api/audit?limit=500", Own: "{b.account}"),
        new("GET", "/api/audit/export", Isolation.ListsOwnDataOnly, "/api/audit/export?format=json", Own: "{b.account}"),
        new("GET", "/api/audit/verify", Isolation.ActsOnCallerOnly, "/api/audit/verify"),
        new("GET", "/api/audit/{id}/diff", Isolation.ForeignIdIsNotFound, "/api/audit/{entry}/diff"),
        new("GET", "/api/templates/", Isolation.ListsOwnDataOnly, "/api/templates", Own: "{b.template}"),
        new("POST", "/api/templates/", Isolation.ActsOnCallerOnly, "/api/templates",
            """{"name":"probe","families":["m5"],"architectures":["x86_64"],"strategy":"spot","min_vcpu":2,"max_vcpu":8}"""),
        new("POST", "/api/templates/validate", Isolation.ActsOnCallerOnly, "/api/templates/validate", """{"families":["m5"],"arch":"x86_64"}"""),
        new("PATCH", "/api/templates/{id}/default", Isolation.ForeignIdIsNotFound, "/api/templates/{template}/default"),
        new("DELETE", "/api/templates/{id}", Isolation.ForeignIdIsNotFound, "/api/templates/{template}"),
        new("GET", "/api/policies/{clusterId}", Isolation.ForeignIdIsNotFound, "/api/policies/{cluster}"),
        new("PATCH", "/api/policies/karpenter", Isolation.ForeignIdIsNotFound, "/api/policies/karpenter", """{"cluster_id":"{cluster}","enabled":true}"""),
        new("PATCH", "/api/policies/binpack", Isolation.ForeignIdIsNotFound, "/api/policies/binpack", """{"cluster_id":"{cluster}","aggressiveness":60}"""),
        new("PATCH", "/api/policies/fallback", Isolation.ForeignIdIsNotFound, "/api/policies/fallback", """{"cluster_id":"{cluster}","enabled":false}"""),
        new("PATCH", "/api/policies/dry-run", Isolation.ForeignIdIsNotFound, "/api/policies/dry-run", """{"cluster_id":"{cluster}","enabled":true}"""),
        new("POST", "/api/clusters/{id}/optimize", Isolation.ForeignIdIsNotFound, "/api/clusters/{cluster}/optimize"),
        new("GET", "/api/clusters/{id}/jobs", Isolation.ForeignIdIsNotFound, "/api/clusters/{cluster}/jobs"),
        new("GET", "/api/clusters/{id}/commands", Isolation.ForeignIdIsNotFound, "/api/clusters/{cluster}/commands"),
        new("GET", "/api/clusters/{id}/recommendations", Isolation.ForeignIdIsNotFound, "/api/clusters/{cluster}/recommendations"),
        new("GET", "/api/jobs/{jobId}", Isolation.ForeignIdIsNotFound, "/api/jobs/{job}"),
        // The hive mind's flags are shared by design and name no tenant.
        new("GET", "/api/spot/regions/{region}/flags", Isolation.ActsOnCallerOnly, "/api/spot/regions/us-east-1/flags"),
        new("PATCH", "/api/policies/exclusions", Isolation.ForeignIdIsNotFound, "/api/policies/exclusions", """{"cluster_id":"{cluster}","namespaces":["batch"]}"""),
        new("PATCH", "/api/policies/headroom", Isolation.ForeignIdIsNotFound, "/api/policies/headroom",
            """{"cluster_id":"{cluster}","cpu_millicores":500,"memory_mib":1024,"share_of_requests":0.1}"""),
        new("GET", "/api/hibernation/{clusterId}", Isolation.ForeignIdIsNotFound, "/api/hibernation/{cluster}"),
        new("POST", "/api/hibernation/schedule", Isolation.ForeignIdIsNotFound, "/api/hibernation/schedule",
            $$"""{"cluster_id":"{cluster}","schedule_matrix":[{{string.Join(',', Enumerable.Repeat(1, 168))}}]}"""),
        new("PATCH", "/api/hibernation/tz", Isolation.ForeignIdIsNotFound, "/api/hibernation/tz", """{"cluster_id":"{cluster}","timezone":"Europe/Berlin"}"""),
        new("PATCH", "/api/hibernation/prewarm", Isolation.ForeignIdIsNotFound, "/api/hibernation/prewarm", """{"cluster_id":"{cluster}","enabled":true}"""),
        new("POST", "/api/hibernation/override", Isolation.ForeignIdIsNotFound, "/api/hibernation/override", """{"cluster_id":"{cluster}","duration_minutes":30}"""),
        new("GET", "/api/notifications/rules", Isolation.ActsOnCallerOnly, "/api/notifications/rules"),
        new("PUT", "/api/notifications/rules", Isolation.ActsOnCallerOnly, "/api/notifications/rules", """{"rules":[]}"""),
        new("GET", "/api/notifications/settings", Isolation.ActsOnCallerOnly, "/api/notifications/settings"),
        new("PUT", "/api/notifications/settings", Isolation.ActsOnCallerOnly, "/api/notifications/settings", """{"timezone":"Europe/Berlin"}"""),
        new("POST", "/api/notifications/signing-secret", Isolation.ActsOnCallerOnly, "/api/notifications/signing-secret"),
        new("GET", "/api/notifications/deliveries", Isolation.ActsOnCallerOnly, "/api/notifications/deliveries?limit=200"),
        new("POST", "/api/notifications/test", Isolation.ActsOnCallerOnly, "/api/notifications/test"),
        new("GET", "/api/reports/weekly", Isolation.ActsOnCallerOnly, "/api/reports/weekly"),
        new("POST", "/api/connect/link", Isolation.ActsOnCallerOnly, "/api/connect/link"),
        new("POST", "/api/connect/verify", Isolation.ActsOnCallerOnly, "/api/connect/verify",
            """{"account_id":"{a.aws}","role_arn":"{a.role_arn}"}""", Prepare: "/api/connect/link", Refused: true),
        // B's own AWS account: the simulated console lets any tenant replace the role in any AWS account (see the sweep's report).
        new("GET", "/api/simulator", Isolation.ActsOnCallerOnly, "/api/simulator"),
        new("GET", "/api/simulator/clusters/{id}/kubeconfig", Isolation.ForeignIdIsNotFound, "/api/simulator/clusters/{cluster}/kubeconfig"),
        new("POST", "/api/simulator/stacks", Isolation.ActsOnCallerOnly, "/api/simulator/stacks",
            """{"aws_account_id":"{b.aws}","external_id":"{a.external_id}"}"""),
        new("GET", "/api/team/members", Isolation.ListsOwnDataOnly, "/api/team/members", Own: "{b.user}"),
        new("PATCH", "/api/team/members/{id}", Isolation.ForeignIdIsNotFound, "/api/team/members/{member}", """{"role":"read_only"}"""),
        new("DELETE", "/api/team/members/{id}", Isolation.ForeignIdIsNotFound, "/api/team/members/{member}"),
        new("GET", "/api/team/invitations", Isolation.ListsOwnDataOnly, "/api/team/invitations", Own: "{b.invitation}"),
        // Inviting A's owner: the address has an account, so the invitation is refused and A's team is untouched.
        new("POST", "/api/team/invitations", Isolation.ActsOnCallerOnly, "/api/team/invitations", """{"email":"{a.email}","role":"member"}""", Refused: true),
        new("DELETE", "/api/team/invitations/{id}", Isolation.ForeignIdIsNotFound, "/api/team/invitations/{invitation}"),
        new("GET", "/api/commitments/", Isolation.ListsOwnDataOnly, "/api/commitments", Own: "{b.commitment}"),
        new("POST", "/api/commitments/", Isolation.ActsOnCallerOnly, "/api/commitments",
            """{"kind":"compute_savings_plan","hourly_commitment":0.5,"discount_percent":20,"starts_at":"2026-01-01T00:00:00Z","ends_at":"2027-01-01T00:00:00Z"}"""),
        new("DELETE", "/api/commitments/{id}", Isolation.ForeignIdIsNotFound, "/api/commitments/{commitment}"),
        new("GET", "/api/metrics/kpi", Isolation.ForeignIdIsNotFound, "/api/metrics/kpi?cluster_id={cluster}"),
        new("GET", "/api/metrics/projection", Isolation.ForeignIdIsNotFound, "/api/metrics/projection?cluster_id={cluster}"),
    ];

    /// <summary>Routes under /api that are not tenant-scoped: sign-in, the agent's token-authenticated door, the public template.</summary>
    /// <summary>Not tenant-scoped: sign-in, the agent's door, the public template, and the super admin's tools (AdminApiTests and the Lab tests sweep those for 401/403).</summary>
    /// <summary>The simulated clusters' Kubernetes API authenticates with the kubeconfig's per-cluster credential, as the agent door with its token.</summary>
    /// <summary>The agent's install manifest is opened by its sealed link (organization, cluster, token inside), not by a session: AgentInstallTests covers it.</summary>
    private static readonly string[] NotTenantScoped =
        ["/api/auth/", "/api/agent/", "/api/connect/template", "/api/admin/", "/api/lab/", "/api/simulator/clusters/{id}/kubernetes/", "/api/install/"];

    public static TheoryData<string> RoutesWhere(Isolation isolation) => [.. Routes.Where(r => r.Isolation == isolation).Select(r => r.Name)];

    public static TheoryData<string> AllRoutes() => [.. Routes.Select(r => r.Name)];

    private LinkedTenant A => world.A;

    private LinkedTenant B => world.B;

    [Fact]
    public void Routes_EveryTenantScopedApiRoute_IsInTheTable()
    {
        var mapped = world.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["ANY"])
                .Select(method => $"{method} /{e.RoutePattern.RawText?.TrimStart('/')}"))
            .Where(route => route.Split(' ')[1] is var path && path.StartsWith("/api/", StringComparison.Ordinal)
                && !NotTenantScoped.Any(prefix => path.StartsWith(prefix, StringComparison.Ordinal)))
            .ToHashSet(StringComparer.Ordinal);
        var listed = Routes.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);

        Assert.True(mapped.Count >= 8, $"The route enumeration found too little to be trusted: {string.Join(", ", mapped)}");
        Assert.True(mapped.SetEquals(listed),
            $"Tenant-scoped routes missing from the table: [{string.Join(", ", mapped.Except(listed))}]; " +
            $"table rows the app does not map: [{string.Join(", ", listed.Except(mapped))}]");
    }

    [Theory]
    [MemberData(nameof(AllRoutes))]
    public async Task Route_WithoutUserToken_401(string name)
    {
        var route = Find(name);
        using var anonymous = world.App.CreateClient();

        using (var response = await SendAsync(anonymous, route, Values()))
        {
            await ProblemAssert.IsAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
        }

        // An agent token is not a user's token, even for the organization that owns the agent's cluster.
        anonymous.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", A.AgentToken);
        using var withAgentToken = await SendAsync(anonymous, route, Values());
        await ProblemAssert.IsAsync(withAgentToken, HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Theory]
    [MemberData(nameof(RoutesWhere), Isolation.ForeignIdIsNotFound)]
    public async Task ForeignIdRoute_OtherTenantsId_AnswersExactlyAsAnIdThatDoesNotExist(string name)
    {
        var route = Find(name);
        var ids = (route.Url + route.Body).Contains("{account}", StringComparison.Ordinal) ? [A.AccountId]
            : route.Url.Contains("{entry}", StringComparison.Ordinal) ? await LedgerEntryIdsAsync(A.Client)
            : route.Url.Contains("{template}", StringComparison.Ordinal) ? [A.TemplateId]
            : route.Url.Contains("{job}", StringComparison.Ordinal) ? [A.JobId]
            : route.Url.Contains("{member}", StringComparison.Ordinal) ? [A.TeammateId, A.UserId]
            : route.Url.Contains("{invitation}", StringComparison.Ordinal) ? [A.InvitationId]
            : route.Url.Contains("{commitment}", StringComparison.Ordinal) ? [A.CommitmentId]
            : A.ClusterIds;
        foreach (var id in ids)
        {
            var before = await SnapshotAsync(A);

            JsonElement foreign, missing;
            using (var response = await SendAsync(B.Client.Http, route, Values(id)))
            {
                foreign = await ProblemAssert.IsAsync(response, HttpStatusCode.NotFound, "not_found");
            }

            using (var response = await SendAsync(B.Client.Http, route, Values()))
            {
                missing = await ProblemAssert.IsAsync(response, HttpStatusCode.NotFound, "not_found");
            }

            Assert.Equal(ProblemAssert.WithoutTraceId(missing), ProblemAssert.WithoutTraceId(foreign));
            await AssertUnchangedAsync(A, before);
        }
    }

    [Theory]
    [MemberData(nameof(RoutesWhere), Isolation.ForeignIdIsNotFound)]
    public async Task ForeignIdRoute_OwnersOwnId_IsFound(string name)
    {
        // The control for the sweep above: the same request from the resource's owner reaches it, so B's 404 is isolation.
        // A third tenant plays the owner, as connecting or revoking would change A.
        var route = Find(name);
        var owner = await World.OnboardAsync(world.App, world.Mail, $"7{Random.Shared.NextInt64(10_000_000_000, 100_000_000_000)}");
        var id = (route.Url + route.Body).Contains("{account}", StringComparison.Ordinal) ? owner.AccountId
            : route.Url.Contains("{entry}", StringComparison.Ordinal) ? (await LedgerEntryIdsAsync(owner.Client))[0]
            : route.Url.Contains("{template}", StringComparison.Ordinal) ? owner.TemplateId
            : route.Url.Contains("{job}", StringComparison.Ordinal) ? owner.JobId
            : route.Url.Contains("{member}", StringComparison.Ordinal) ? owner.TeammateId
            : route.Url.Contains("{invitation}", StringComparison.Ordinal) ? owner.InvitationId
            : route.Url.Contains("{commitment}", StringComparison.Ordinal) ? owner.CommitmentId
            : owner.ConnectedClusterId;

        using var response = await SendAsync(owner.Client.Http, route, Values(id));

        Assert.True(response.IsSuccessStatusCode, $"{name} for the owner answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    [Theory]
    [MemberData(nameof(RoutesWhere), Isolation.ListsOwnDataOnly)]
    public async Task ListingRoute_OtherTenantCalls_HoldsOnlyItsOwnIds(string name)
    {
        var route = Find(name);
        var before = await SnapshotAsync(A);

        using var response = await SendAsync(B.Client.Http, route, Values());
        var text = await response.Content.ReadAsStringAsync();

        Journey.AssertStatus(response, HttpStatusCode.OK);
        var own = Expand(route.Own!, Values());
        Assert.True(text.Contains(own, StringComparison.OrdinalIgnoreCase), $"{name} should show B's own {own}: {text}");
        foreach (var (what, id, _) in A.Identifiers.Where(i => !i.CallerCanName))
        {
            Assert.False(text.Contains(id, StringComparison.OrdinalIgnoreCase), $"{name} as B shows A's {what} {id}: {text}");
        }

        await AssertUnchangedAsync(A, before);
    }

    [Fact]
    public async Task ListingRoutes_OtherTenantCalls_ListsExactlyItsOwnIds()
    {
        var clusters = (await B.Client.GetJsonAsync("/api/client/clusters")).GetProperty("clusters").EnumerateArray()
            .Select(c => c.GetProperty("cluster_id").GetString()).ToList();
        var accounts = (await B.Client.GetJsonAsync("/api/connect/accounts")).GetProperty("accounts").EnumerateArray()
            .Select(a => a.GetProperty("account_id").GetString()).ToList();
        var events = (await B.Client.GetJsonAsync("/api/activity/live?limit=500")).GetProperty("events").EnumerateArray().ToList();

        Assert.Equal([B.ConnectedClusterId], clusters);
        Assert.Contains(B.AccountId, accounts);
        Assert.DoesNotContain(A.AccountId, accounts);
        Assert.NotEmpty(events);
        Assert.All(events, e => Assert.Equal(B.Client.OrganizationId, e.GetProperty("organization_id").GetString()));
        Assert.DoesNotContain(events, e => A.Identifiers.Any(a => e.GetProperty("resource").GetString()!.Contains(a.Id, StringComparison.OrdinalIgnoreCase)));
    }

    [Theory]
    [MemberData(nameof(RoutesWhere), Isolation.ActsOnCallerOnly)]
    public async Task CallerScopedRoute_OtherTenantsIdentifiers_LeavesThatTenantUnchanged(string name)
    {
        var route = Find(name);
        var before = await SnapshotAsync(A);
        if (route.Prepare is not null)
        {
            using var prepared = await B.Client.Http.PostAsync(route.Prepare, null);
            Journey.AssertStatus(prepared, HttpStatusCode.OK);
        }

        using var response = await SendAsync(B.Client.Http, route, Values());
        var text = await response.Content.ReadAsStringAsync();

        Assert.True((int)response.StatusCode < 500, $"{name} answered {(int)response.StatusCode}: {text}");
        if (route.Refused) Assert.True((int)response.StatusCode is >= 400 and < 500, $"{name} should refuse A's identifiers: {(int)response.StatusCode} {text}");
        await AssertUnchangedAsync(A, before);
    }

    [Fact]
    public async Task OwnerState_AfterTheWholeSweep_StillHeartbeatsAndIsManaged()
    {
        // Whatever order the sweep ran in, A is whole: its agent token works and its cluster is still connected and listed.
        using (var beat = await Journey.HeartbeatAsync(world.App.CreateClient(), A.AgentToken)) Journey.AssertStatus(beat, HttpStatusCode.OK);

        var managed = (await A.Client.GetJsonAsync("/api/client/clusters")).GetProperty("clusters").EnumerateArray().Single();
        Assert.Equal(A.ConnectedClusterId, managed.GetProperty("cluster_id").GetString());
        Assert.True(managed.GetProperty("managed").GetBoolean());
        Assert.Equal("green", managed.GetProperty("agent_status").GetString());
        var account = await Journey.WaitForStatusAsync(A.Client, A.AccountId, "active");
        Assert.Equal(JsonValueKind.Null, account.GetProperty("error_code").ValueKind);
    }

    private static TenantRoute Find(string name) => Routes.Single(r => r.Name == name);

    /// <summary>Ledger entry ids are numbers: the newest entries of the tenant's organization.</summary>
    private static async Task<List<string>> LedgerEntryIdsAsync(TenantClient tenant) =>
        [.. (await tenant.GetJsonAsync("/api/activity/live?limit=3")).GetProperty("events").EnumerateArray()
            .Select(e => e.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture))];

    /// <summary>
    /// Placeholder values: <c>{account}</c>, <c>{cluster}</c> and <c>{entry}</c> are <paramref name="id"/>, or by default
    /// an id nothing has (a fresh UUID; for ledger entries a number beyond any sequence).
    /// </summary>
    private Dictionary<string, string> Values(string? id = null)
    {
        return new(StringComparer.Ordinal)
        {
            ["{account}"] = id ?? Guid.NewGuid().ToString("D"),
            ["{cluster}"] = id ?? Guid.NewGuid().ToString("D"),
            ["{entry}"] = id ?? "9000000000000000000",
            ["{template}"] = id ?? Guid.NewGuid().ToString("D"),
            ["{job}"] = id ?? Guid.NewGuid().ToString("D"),
            ["{member}"] = id ?? Guid.NewGuid().ToString("D"),
            ["{invitation}"] = id ?? Guid.NewGuid().ToString("D"),
            ["{commitment}"] = id ?? Guid.NewGuid().ToString("D"),
            ["{b.commitment}"] = B.CommitmentId,
            ["{a.email}"] = A.Client.Email,
            ["{b.user}"] = B.UserId,
            ["{b.invitation}"] = B.InvitationId,
            ["{b.template}"] = B.TemplateId,
            ["{a.aws}"] = A.AwsAccountId,
            ["{a.role_arn}"] = A.RoleArn,
            ["{a.external_id}"] = A.ExternalId,
            ["{b.aws}"] = B.AwsAccountId,
            ["{b.account}"] = B.AccountId,
            ["{b.cluster}"] = B.ConnectedClusterId,
        };
    }

    private static string Expand(string template, Dictionary<string, string> values) =>
        values.Aggregate(template, (text, value) => text.Replace(value.Key, value.Value, StringComparison.Ordinal));

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, TenantRoute route, Dictionary<string, string> values)
    {
        using var request = new HttpRequestMessage(new HttpMethod(route.Method), Expand(route.Url, values));
        if (route.Body is not null) request.Content = ProblemAssert.Json(Expand(route.Body, values));
        return await http.SendAsync(request);
    }

    /// <summary>Everything A can see of itself, less what time alone changes (agent liveness).</summary>
    private static async Task<string> SnapshotAsync(LinkedTenant tenant)
    {
        var accounts = (await tenant.Client.GetJsonAsync("/api/connect/accounts")).GetRawText();
        var clusters = JsonNode.Parse((await tenant.Client.GetJsonAsync("/api/client/clusters")).GetRawText())!;
        foreach (var cluster in clusters["clusters"]!.AsArray())
        {
            cluster!.AsObject().Remove("last_seen");
            cluster.AsObject().Remove("agent_status");
        }

        var discovered = (await tenant.Client.GetJsonAsync($"/api/clusters/discover?account_id={tenant.AccountId}")).GetRawText();
        var activity = (await tenant.Client.GetJsonAsync("/api/activity/live?limit=500")).GetProperty("events").EnumerateArray()
            .Select(e => $"{e.GetProperty("id").GetInt64()} {e.GetProperty("action").GetString()} {e.GetProperty("actor").GetString()}");
        return string.Join('\n', ["accounts " + accounts, "clusters " + clusters.ToJsonString(), "discovered " + discovered, .. activity]);
    }

    /// <summary>A's views and activity are as before, its agent still heartbeats, and its AWS link still scans.</summary>
    private async Task AssertUnchangedAsync(LinkedTenant tenant, string before)
    {
        Assert.Equal(before, await SnapshotAsync(tenant));
        using (var beat = await Journey.HeartbeatAsync(world.App.CreateClient(), tenant.AgentToken)) Journey.AssertStatus(beat, HttpStatusCode.OK);
        var managed = (await tenant.Client.GetJsonAsync("/api/client/clusters")).GetProperty("clusters").EnumerateArray().Single();
        Assert.True(managed.GetProperty("managed").GetBoolean());

        // A discovery pass now (instead of in an hour) shows whether A's role in its AWS account still lets us in.
        DiscoverySummary? scan = null;
        var failure = await Record.ExceptionAsync(async () =>
            scan = await world.App.Services.GetRequiredService<IGrainFactory>().GetGrain<IAccountGrain>(tenant.AccountId).Discover());
        Assert.True(failure is null, $"A's AWS link no longer works: discovery failed with {failure?.GetType().Name}: {failure?.Message}");
        Assert.Equal(tenant.ClusterIds.Count, scan!.ClustersFound);
    }

    public sealed record LinkedTenant(
        TenantClient Client, string UserId, string AwsAccountId, string AccountId, string ExternalId, string RoleArn,
        string ConnectedClusterId, string AgentToken, IReadOnlyList<string> ClusterIds, string TemplateId, string JobId,
        string TeammateId, string TeammateEmail, string InvitationId, string InviteeEmail, string CommitmentId)
    {
        /// <summary>
        /// Everything that identifies this tenant or its resources. Another tenant may never see the ones it cannot name
        /// itself; the AWS account id and the role ARN (derived from it) it can type in, and then sees its own attempt.
        /// </summary>
        public IReadOnlyList<(string What, string Id, bool CallerCanName)> Identifiers =>
        [
            ("organization", Client.OrganizationId, false), ("user", UserId, false), ("email", Client.Email, false), ("account", AccountId, false),
            ("external id", ExternalId, false), ("agent token", AgentToken, false), .. ClusterIds.Select(id => ("cluster", id, false)),
            ("template", TemplateId, false), ("job", JobId, false),
            ("teammate", TeammateId, false), ("teammate email", TeammateEmail, false), ("invitation", InvitationId, false), ("invitee email", InviteeEmail, false),
            ("commitment", CommitmentId, false),
            ("AWS account", AwsAccountId, true), ("role ARN", RoleArn, true),
        ];
    }

    /// <summary>Tenant A fully onboarded with a heartbeating agent, tenant B with its own AWS account and cluster.</summary>
    public sealed class World : IAsyncLifetime
    {
        public World()
        {
            // Discovery runs when a test asks for it, not on the 5-minute reminder in the middle of a before/after comparison.
            App = SpotOptimizerApp.With(new Dictionary<string, string?>(Optimization.OptimizationJourney.FastCloud) { ["Discovery:Period"] = "01:00:00" }
                .Concat(Mail.Settings).ToDictionary());
        }

        /// <summary>Where teammates' invitations arrive.</summary>
        public SmtpSink Mail { get; } = new();

        public SpotOptimizerApp App { get; }

        public LinkedTenant A { get; private set; } = null!;

        public LinkedTenant B { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            A = await OnboardAsync(App, Mail, "111122223333");
            B = await OnboardAsync(App, Mail, "444455556666");
            Assert.True(A.ClusterIds.Count >= 2, "A has a connected cluster and one it did not connect");
        }

        public async Task DisposeAsync()
        {
            await App.DisposeAsync();
            Mail.Dispose();
        }

        private static readonly string[] GeneralFamilies = ["m5", "c5"];
        private static readonly string[] X86 = ["x86_64"];

        public static async Task<LinkedTenant> OnboardAsync(SpotOptimizerApp app, SmtpSink mail, string awsAccountId)
        {
            var client = await TenantClient.SignUpAsync(app);
            var userId = (await client.GetJsonAsync("/api/auth/me")).GetProperty("user_id").GetString()!;
            var externalId = (await client.PostJsonAsync("/api/connect/link", null)).GetProperty("external_id").GetString()!;
            var roleArn = (await client.PostJsonAsync("/api/simulator/stacks", new { aws_account_id = awsAccountId, external_id = externalId }))
                .GetProperty("role_arn").GetString()!;
            var accountId = (await client.PostJsonAsync("/api/connect/verify", new { account_id = awsAccountId, role_arn = roleArn }))
                .GetProperty("account_id").GetString()!;
            await Journey.WaitForStatusAsync(client, accountId, "active");
            var clusterIds = (await client.GetJsonAsync($"/api/clusters/discover?account_id={accountId}")).GetProperty("clusters").EnumerateArray()
                .Select(c => c.GetProperty("cluster_id").GetString()!).ToList();
            var (clusterId, agentToken, _) = await Journey.ConnectFirstClusterAsync(client, accountId);
            using (var beat = await Journey.HeartbeatAsync(app.CreateClient(), agentToken)) Journey.AssertStatus(beat, HttpStatusCode.OK);
            clusterIds.Remove(clusterId);
            var templateId = (await client.PostJsonAsync("/api/templates",
                new { name = "general", families = GeneralFamilies, architectures = X86, strategy = "spot", min_vcpu = 2, max_vcpu = 16 },
                HttpStatusCode.Created)).GetProperty("template").GetProperty("id").GetString()!;
            // A finished optimization job of the connected cluster, in dry run so the cluster's nodes stay as discovered.
            using (var dryRun = await client.Http.PatchAsync("/api/policies/dry-run", ProblemAssert.Json($$"""{"cluster_id":"{{clusterId}}","enabled":true}""")))
                Journey.AssertStatus(dryRun, HttpStatusCode.OK);
            var job = await Optimization.OptimizationJourney.OptimizeAsync(client, clusterId);
            var owner = new Identity.SignedIn(client.Email, userId, client.OrganizationId, client.Token, "");
            var teammate = await Identity.IdentityJourney.InviteAndAcceptAsync(app, mail, owner, "member");
            var invitee = Identity.IdentityJourney.NewEmail("invitee");
            var invitationId = (await client.PostJsonAsync("/api/team/invitations", new { email = invitee, role = "read_only" }, HttpStatusCode.Created))
                .GetProperty("invitation_id").GetString()!;
            var commitmentId = (await client.PostJsonAsync("/api/commitments",
                new { kind = "compute_savings_plan", hourly_commitment = 0.05, discount_percent = 25, starts_at = "2026-01-01T00:00:00Z", ends_at = "2027-01-01T00:00:00Z" },
                HttpStatusCode.Created)).GetProperty("id").GetString()!;
            return new LinkedTenant(client, userId, awsAccountId, accountId, externalId, roleArn, clusterId, agentToken, [clusterId, .. clusterIds], templateId,
                job.GetProperty("job_id").GetString()!, teammate.UserId, teammate.Email, invitationId, invitee, commitmentId);
        }
    }
}

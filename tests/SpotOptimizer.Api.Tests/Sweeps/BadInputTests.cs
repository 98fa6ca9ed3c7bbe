using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SpotOptimizer.Api.Tests.Onboarding;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Api.Tests.Sweeps;

/// <summary>
/// Every JSON-body endpoint fed bodies that are not what it takes (malformed, the wrong shape, the wrong types, missing
/// or blank fields, too large, not JSON at all, ids that are not ids), plus bad query-string and route ids: each answers a
/// 4xx ProblemDetails with the right <c>code</c>, never 500, and writes nothing. Each bad body is the endpoint's valid
/// body (<see cref="ValidBody_EveryEndpoint_PassesTheBodyReader"/> shows it is accepted) with one defect.
/// </summary>
public sealed class BadInputTests(BadInputTests.Target target) : IClassFixture<BadInputTests.Target>
{
    /// <summary>A JSON-body endpoint: how to call it and what its valid body is. <c>{cluster}</c> in <see cref="Path"/> is the subject's cluster.</summary>
    public sealed record BodyEndpoint(
        string Path, Caller As, Func<Subject, JsonObject> Valid, string[] Required, string[] StringFields, BadCase[] Specific, string Method = "POST",
        long MaxBytes = 64 * 1024)
    {
        public string Url(Subject subject) => Path.Replace("{cluster}", subject.UnmanagedClusterId, StringComparison.Ordinal)
            .Replace("{command}", subject.CommandId, StringComparison.Ordinal);
    }

    public enum Caller
    {
        Anonymous,
        User,
        Agent,
    }

    /// <summary>One defect: <see cref="Content"/> turns the valid body into the request content that carries it.</summary>
    public sealed record BadCase(string Name, Func<JsonObject, HttpContent> Content, HttpStatusCode Status, string Code, string[]? Fields = null);

    private const string GoodPassword = "Correct-Horse-42";

    public static readonly IReadOnlyList<BodyEndpoint> Endpoints =
    [
        new("/api/auth/signup", Caller.Anonymous,
            _ => new JsonObject { ["org_name"] = "Sweep Inc", ["email"] = $"sweep-{Guid.NewGuid():N}@example.com", ["password"] = GoodPassword },
            ["org_name", "email", "password"], ["org_name", "email", "password"],
            [
                Invalid("org_name over 100 characters", "org_name", new string('a', 101)),
                Invalid("email not an address", "email", "not-an-email"),
                Invalid("email over 254 characters", "email", new string('a', 250) + "@example.com"),
                Invalid("password too short", "password", "Sh0rt!"),
            ]),
        new("/api/auth/token", Caller.Anonymous,
            s => new JsonObject { ["email"] = s.Tenant.Email, ["password"] = TenantClient.Password },
            ["email", "password"], ["email", "password"], []),
        new("/api/connect/verify", Caller.User,
            _ =>
            {
                var aws = AwsAccount();
                return new JsonObject { ["account_id"] = aws, ["role_arn"] = $"arn:aws:iam::{aws}:role/SpotOptimizerRole" };
            },
            ["account_id", "role_arn"], ["account_id", "role_arn"],
            [
                Invalid("account_id a UUID", "account_id", Guid.NewGuid().ToString()),
                Invalid("account_id 11 digits", "account_id", "12345678901"),
                Invalid("account_id not digits", "account_id", "not-a-number"),
            ]),
        new("/api/clusters/connect", Caller.User,
            s => new JsonObject { ["cluster_id"] = s.UnmanagedClusterId },
            ["cluster_id"], ["cluster_id"],
            [
                Invalid("cluster_id not a UUID", "cluster_id", "not-a-uuid"),
                Invalid("cluster_id a truncated UUID", "cluster_id", Guid.NewGuid().ToString()[..30]),
                Invalid("cluster_id an agent token", "cluster_id", "soa_0123456789abcdef0123456789abcdef_secret"),
            ]),
        new("/api/agent/interruptions", Caller.Agent,
            _ => new JsonObject { ["instance_id"] = "i-0123456789abcdef0", ["kind"] = "interruption" },
            ["instance_id", "kind"], ["instance_id", "kind"],
            [
                Invalid("instance_id not an instance id", "instance_id", "node-1"),
                Invalid("kind unknown", "kind", "eviction"),
                Mistyped("notice_time a number", "notice_time", 17),
            ]),
        new("/api/agent/heartbeat", Caller.Agent,
            _ => new JsonObject { ["agent_version"] = "1.4.2", ["node_count"] = 5, ["pod_count"] = 40 },
            ["agent_version"], ["agent_version"],
            [
                Mistyped("node_count a word", "node_count", "five"),
                Mistyped("node_count a fraction", "node_count", 1.5),
                Mistyped("pod_count beyond int", "pod_count", 1e20),
                Mistyped("node_count an object", "node_count", new JsonObject()),
                Invalid("node_count negative", "node_count", -1),
                Invalid("pod_count over the limit", "pod_count", 10_000_001),
                Invalid("agent_version over 64 characters", "agent_version", new string('1', 65)),
            ]),
        new("/api/agent/inventory", Caller.Agent,
            _ => Agent.InventoryBody.Valid(),
            ["agent_version", "daemonset_overhead", "nodes", "pods", "workloads"], ["agent_version"],
            [
                Mistyped("nodes an object", "nodes", new JsonObject()),
                Mistyped("daemonset_overhead a number", "daemonset_overhead", 3),
                Invalid("agent_version over 64 characters", "agent_version", new string('1', 65)),
            ],
            MaxBytes: 64 * 1024 * 1024),
        new("/api/agent/commands/{command}/result", Caller.Agent,
            _ => new JsonObject { ["status"] = "succeeded", ["code"] = null, ["detail"] = "done", ["evicted_pods"] = 0, ["dry_run"] = false },
            ["status"], ["status", "code", "detail"],
            [
                Invalid("status unknown", "status", "done"),
                Invalid("status pending", "status", "pending"),
                Invalid("evicted_pods negative", "evicted_pods", -1),
                Invalid("code over 64 characters", "code", new string('c', 65)),
                Mistyped("dry_run a word", "dry_run", "yes"),
                Mistyped("evicted_pods a fraction", "evicted_pods", 1.5),
            ]),
        new("/api/agent/safe-mode", Caller.Agent,
            _ => new JsonObject
            {
                ["state"] = "left", ["entered_at"] = "2026-04-01T09:00:00Z", ["reason"] = "platform_unreachable", ["unreachable_seconds"] = 300,
                ["actions"] = new JsonArray("nodepools_on_demand_only"),
            },
            ["state", "entered_at", "reason"], ["state", "reason"],
            [
                Invalid("state unknown", "state", "paused"),
                Invalid("reason over 64 characters", "reason", new string('r', 65)),
                Invalid("unreachable_seconds negative", "unreachable_seconds", -1),
                Mistyped("entered_at not a time", "entered_at", "yesterday"),
                Mistyped("actions a string", "actions", "stopped"),
            ]),
        new("/api/notifications/settings", Caller.User,
            _ => new JsonObject { ["timezone"] = "Europe/Berlin" },
            ["timezone"], ["timezone"],
            [Invalid("timezone unknown", "timezone", "Mars/Olympus_Mons")],
            "PUT"),
        new("/api/team/invitations", Caller.User,
            _ => new JsonObject { ["email"] = $"teammate-{Guid.NewGuid():N}@example.com", ["role"] = "member" },
            ["email", "role"], ["email", "role"],
            [Invalid("role unknown", "role", "admin"), Invalid("email not an address", "email", "not-an-email")]),
        new("/api/simulator/stacks", Caller.User,
            _ => new JsonObject { ["aws_account_id"] = AwsAccount(), ["external_id"] = Guid.NewGuid().ToString() },
            ["aws_account_id", "external_id"], ["aws_account_id", "external_id"],
            [
                Invalid("external_id not a UUID", "external_id", "not-a-uuid"),
                Invalid("aws_account_id 13 digits", "aws_account_id", "1234567890123"),
                Invalid("aws_account_id non-ASCII digits", "aws_account_id", "١٢٣٤٥٦٧٨٩٠١٢"),
            ]),
        new("/api/templates", Caller.User,
            _ => new JsonObject
            {
                ["name"] = "general", ["families"] = new JsonArray("m5", "c5"), ["architectures"] = new JsonArray("x86_64"),
                ["strategy"] = "spot", ["min_vcpu"] = 2, ["max_vcpu"] = 8,
            },
            ["architectures", "families", "max_vcpu", "min_vcpu", "name", "strategy"], ["name", "strategy"],
            [
                Invalid("strategy unknown", "strategy", "yolo"),
                Invalid("max_vcpu below min_vcpu", "max_vcpu", 1),
                Invalid("families empty", "families", new JsonArray()),
                Invalid("architectures unknown", "architectures", new JsonArray("sparc")),
                Mistyped("families a string", "families", "m5"),
            ]),
        new("/api/templates/validate", Caller.User,
            _ => new JsonObject { ["families"] = new JsonArray("m5"), ["arch"] = "x86_64" },
            ["arch", "families"], ["arch"],
            [Invalid("arch unknown", "arch", "riscv")]),
        new("/api/policies/karpenter", Caller.User,
            s => new JsonObject { ["cluster_id"] = s.UnmanagedClusterId, ["enabled"] = true },
            ["cluster_id", "enabled"], ["cluster_id"],
            [Invalid("cluster_id not a UUID", "cluster_id", "c1"), Invalid("strategy unknown", "strategy", "yolo"), Mistyped("enabled a word", "enabled", "yes")],
            "PATCH"),
        new("/api/policies/binpack", Caller.User,
            s => new JsonObject { ["cluster_id"] = s.UnmanagedClusterId, ["aggressiveness"] = 50 },
            ["aggressiveness", "cluster_id"], ["cluster_id"],
            [Invalid("aggressiveness above 80", "aggressiveness", 81), Invalid("aggressiveness below 20", "aggressiveness", 19)],
            "PATCH"),
        new("/api/policies/fallback", Caller.User,
            s => new JsonObject { ["cluster_id"] = s.UnmanagedClusterId, ["enabled"] = false },
            ["cluster_id", "enabled"], ["cluster_id"], [], "PATCH"),
        new("/api/policies/dry-run", Caller.User,
            s => new JsonObject { ["cluster_id"] = s.UnmanagedClusterId, ["enabled"] = true },
            ["cluster_id", "enabled"], ["cluster_id"], [Mistyped("enabled a number", "enabled", 1)], "PATCH"),
        new("/api/policies/exclusions", Caller.User,
            s => new JsonObject { ["cluster_id"] = s.UnmanagedClusterId, ["namespaces"] = new JsonArray("batch") },
            ["cluster_id", "namespaces"], ["cluster_id"],
            [Invalid("namespace not DNS-1123", "namespaces", new JsonArray("Bad_Name")), Invalid("namespace too long", "namespaces", new JsonArray(new string('a', 64)))],
            "PATCH"),
        new("/api/policies/headroom", Caller.User,
            s => new JsonObject { ["cluster_id"] = s.UnmanagedClusterId, ["cpu_millicores"] = 500, ["memory_mib"] = 1024, ["share_of_requests"] = 0.1 },
            ["cluster_id", "cpu_millicores", "memory_mib", "share_of_requests"], ["cluster_id"],
            [
                Invalid("cpu_millicores negative", "cpu_millicores", -1),
                Invalid("memory_mib over 4 TiB", "memory_mib", 4 * 1024 * 1024 + 1),
                Invalid("share_of_requests above 0.5", "share_of_requests", 0.6),
                Mistyped("cpu_millicores a fraction", "cpu_millicores", 1.5),
                Mistyped("share_of_requests a word", "share_of_requests", "ten percent"),
            ],
            "PATCH"),
        new("/api/hibernation/schedule", Caller.User,
            s => new JsonObject { ["cluster_id"] = s.UnmanagedClusterId, ["schedule_matrix"] = Slots(168, 0) },
            ["cluster_id", "schedule_matrix"], ["cluster_id"],
            [
                Invalid("schedule_matrix 167 values", "schedule_matrix", Slots(167, 0)),
                Invalid("schedule_matrix a 2", "schedule_matrix", Slots(168, 2)),
            ]),
        new("/api/hibernation/tz", Caller.User,
            s => new JsonObject { ["cluster_id"] = s.UnmanagedClusterId, ["timezone"] = "Europe/Berlin" },
            ["cluster_id", "timezone"], ["cluster_id", "timezone"],
            [Invalid("timezone unknown", "timezone", "Mars/Olympus_Mons")], "PATCH"),
        new("/api/hibernation/prewarm", Caller.User,
            s => new JsonObject { ["cluster_id"] = s.UnmanagedClusterId, ["enabled"] = true },
            ["cluster_id", "enabled"], ["cluster_id"], [], "PATCH"),
        new("/api/hibernation/override", Caller.User,
            s => new JsonObject { ["cluster_id"] = s.UnmanagedClusterId, ["duration_minutes"] = 30 },
            ["cluster_id", "duration_minutes"], ["cluster_id"],
            [Invalid("duration_minutes zero", "duration_minutes", 0), Invalid("duration_minutes over a day", "duration_minutes", 1441)]),
        new("/api/commitments", Caller.User,
            _ => new JsonObject
            {
                ["kind"] = "compute_savings_plan", ["hourly_commitment"] = 0.5, ["discount_percent"] = 20,
                ["starts_at"] = "2026-01-01T00:00:00Z", ["ends_at"] = "2027-01-01T00:00:00Z",
            },
            ["ends_at", "kind", "starts_at"], ["kind"],
            [
                Invalid("kind unknown", "kind", "spot_block"),
                Invalid("hourly_commitment zero", "hourly_commitment", 0),
                Invalid("discount_percent 100", "discount_percent", 100),
                Invalid("ends_at before starts_at", "ends_at", "2025-12-31T00:00:00Z"),
                Invalid("ends_at beyond three years", "ends_at", "2030-01-01T00:00:00Z"),
                Invalid("instance_type on a compute plan", "instance_type", "m5.xlarge"),
                Mistyped("starts_at not a date", "starts_at", "next tuesday"),
                Mistyped("hourly_commitment a word", "hourly_commitment", "lots"),
            ]),
    ];

    public static TheoryData<string, string> BodyCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var endpoint in Endpoints)
        {
            foreach (var bad in CasesFor(endpoint)) data.Add(endpoint.Path, bad.Name);
        }

        return data;
    }

    public static TheoryData<string> EndpointPaths() => [.. Endpoints.Select(e => e.Path)];

    [Theory]
    [MemberData(nameof(BodyCases))]
    public async Task JsonEndpoint_BadBody_4xxProblemAndNothingWritten(string path, string name)
    {
        var endpoint = Endpoints.Single(e => e.Path == path);
        var bad = CasesFor(endpoint).Single(c => c.Name == name);
        var valid = endpoint.Valid(target.Subject);
        var body = valid.DeepClone().AsObject();
        var before = await target.SnapshotAsync();

        using var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), endpoint.Url(target.Subject)) { Content = bad.Content(body) };
        using var response = await SendAsync(endpoint.As, target.Subject, request);

        var problem = await ProblemAssert.IsAsync(response, bad.Status, bad.Code);
        if (bad.Fields is not null) Assert.Equal(bad.Fields.Order(StringComparer.Ordinal), ProblemAssert.ErrorFields(problem));
        await target.AssertNothingWrittenAsync(before, path, valid, body);
    }

    [Theory]
    [MemberData(nameof(EndpointPaths))]
    public async Task ValidBody_EveryEndpoint_PassesTheBodyReader(string path)
    {
        // The control for the sweep: the valid body every bad case starts from gets past the reader (a fresh tenant sends
        // it, since it writes), so each 4xx above is its one defect's doing.
        var endpoint = Endpoints.Single(e => e.Path == path);
        var subject = await Subject.OnboardAsync(target.App);
        using var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), endpoint.Url(subject)) { Content = ProblemAssert.Json(endpoint.Valid(subject).ToJsonString()) };

        using var response = await SendAsync(endpoint.As, subject, request);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode || response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.UnprocessableEntity,
            $"The valid body for {path} was refused: {(int)response.StatusCode} {text}");
    }

    [Theory]
    [InlineData("GET", "/api/clusters/discover?account_id=not-a-uuid", "invalid_id")]
    [InlineData("GET", "/api/clusters/discover?account_id=", "invalid_id")]
    [InlineData("GET", "/api/clusters/discover", "invalid_id")]
    [InlineData("GET", "/api/clusters/discover?account_id=123456789012", "invalid_id")]
    [InlineData("GET", "/api/activity/live?limit=0", "invalid_limit")]
    [InlineData("GET", "/api/activity/live?limit=501", "invalid_limit")]
    [InlineData("GET", "/api/activity/live?limit=abc", "invalid_limit")]
    [InlineData("GET", "/api/activity/live?limit=-1", "invalid_limit")]
    [InlineData("GET", "/api/activity/live?limit=1.5", "invalid_limit")]
    [InlineData("GET", "/api/activity/live?limit=99999999999", "invalid_limit")]
    [InlineData("GET", "/api/clusters/not-a-uuid/verify", "invalid_id")]
    [InlineData("GET", "/api/clusters/12345/verify", "invalid_id")]
    [InlineData("DELETE", "/api/clusters/not-a-uuid/agent-token", "invalid_id")]
    public async Task QueryOrRouteInput_Invalid_400ProblemAndNothingWritten(string method, string url, string code)
    {
        var before = await target.SnapshotAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), url);

        using var response = await target.Subject.Tenant.Http.SendAsync(request);

        await ProblemAssert.IsAsync(response, HttpStatusCode.BadRequest, code);
        await target.AssertNothingWrittenAsync(before, url, null, null);
    }

    [Theory]
    [InlineData("/api/activity/live?limit=1", 1)]
    [InlineData("/api/activity/live?limit=500", -1)]
    [InlineData("/api/activity/live", -1)]
    public async Task ActivityLimit_InRange_200(string url, int expectedCount)
    {
        var feed = await target.Subject.Tenant.GetJsonAsync(url);

        var count = feed.GetProperty("events").GetArrayLength();
        Assert.True(expectedCount < 0 ? count > 1 : count == expectedCount, $"{url} returned {count} events");
    }

    private static Task<HttpResponseMessage> SendAsync(Caller caller, Subject subject, HttpRequestMessage request)
    {
        var http = subject.App.CreateClient();
        if (caller != Caller.Anonymous)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", caller == Caller.Agent ? subject.AgentToken : subject.Tenant.Token);
        }

        return http.SendAsync(request);
    }

    /// <summary>The defects every JSON-body endpoint is fed, then the endpoint's own.</summary>
    private static IEnumerable<BadCase> CasesFor(BodyEndpoint endpoint)
    {
        yield return Raw("malformed JSON", _ => """{"a":""");
        yield return Raw("a JSON array", body => $"[{body.ToJsonString()}]");
        yield return Raw("JSON null", _ => "null");
        yield return Raw("a JSON string", _ => "\"hello\"");
        yield return Raw("a JSON number", _ => "42");
        yield return Raw("an empty body", _ => "");
        yield return Raw("a trailing comma", body => body.ToJsonString()[..^1] + ",}");
        yield return Raw("a comment", body => "/* hi */" + body.ToJsonString());
        yield return Raw("nested 200 deep", body =>
        {
            var json = body.ToJsonString();
            return json[..^1] + ",\"deep\":" + new string('[', 200) + new string(']', 200) + "}";
        });
        foreach (var field in endpoint.StringFields) yield return Mistyped($"{field} a number", field, 12345);
        foreach (var field in endpoint.StringFields) yield return Mistyped($"{field} an array", field, new JsonArray("x"));
        foreach (var field in endpoint.Required)
        {
            yield return new($"{field} missing", body => Json(body, b => b.Remove(field)), HttpStatusCode.BadRequest, "validation_failed", [field]);
            yield return Invalid($"{field} null", field, null);
            // A blank string is an invalid value for a text field, and the wrong type (so malformed) for any other.
            yield return endpoint.StringFields.Contains(field) ? Invalid($"{field} blank", field, "   ") : Mistyped($"{field} blank", field, "   ");
        }

        yield return new("every field missing", _ => ProblemAssert.Json("{}"), HttpStatusCode.BadRequest, "validation_failed", endpoint.Required);
        yield return new("over the size limit", body => ProblemAssert.Json(Padded(body, endpoint.MaxBytes)), HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
        yield return new("over the size limit without a length", body => new ChunkedJson(Padded(body, endpoint.MaxBytes)),
            HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
        yield return new("text/plain", body => new StringContent(body.ToJsonString(), Encoding.UTF8, "text/plain"),
            HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        yield return new("form-encoded", body => new FormUrlEncodedContent([new("json", body.ToJsonString())]),
            HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        yield return new("no content type", body => new ByteArrayContent(Encoding.UTF8.GetBytes(body.ToJsonString())),
            HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        foreach (var specific in endpoint.Specific) yield return specific;
    }

    private static BadCase Raw(string name, Func<JsonObject, string> text) =>
        new(name, body => ProblemAssert.Json(text(body)), HttpStatusCode.BadRequest, "invalid_json");

    /// <summary>A schedule matrix of <paramref name="count"/> slots (a JSON node can have one parent, so each is new).</summary>
    private static JsonArray Slots(int count, int value) => new([.. Enumerable.Range(0, count).Select(_ => (JsonNode?)JsonValue.Create(value))]);

    private static BadCase Mistyped(string name, string field, JsonNode? value) =>
        new(name, body => Json(body, b => b[field] = value?.DeepClone()), HttpStatusCode.BadRequest, "invalid_json");

    private static BadCase Invalid(string name, string field, JsonNode? value) =>
        new(name, body => Json(body, b => b[field] = value?.DeepClone()), HttpStatusCode.BadRequest, "validation_failed", [field]);

    private static StringContent Json(JsonObject body, Action<JsonObject> change)
    {
        change(body);
        return ProblemAssert.Json(body.ToJsonString());
    }

    /// <summary>A padding field makes the otherwise valid body just over the endpoint's limit (64 KiB for most).</summary>
    private static string Padded(JsonObject body, long maxBytes)
    {
        body["padding"] = new string('x', (int)maxBytes);
        return body.ToJsonString();
    }

    private static string AwsAccount() => $"8{Random.Shared.NextInt64(10_000_000_000, 100_000_000_000)}";

    /// <summary>JSON sent chunked, with no Content-Length: the reader must stop at the limit while streaming.</summary>
    private sealed class ChunkedJson : HttpContent
    {
        private readonly byte[] _bytes;

        public ChunkedJson(string text)
        {
            _bytes = Encoding.UTF8.GetBytes(text);
            Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var offset = 0; offset < _bytes.Length; offset += 4096)
            {
                await stream.WriteAsync(_bytes.AsMemory(offset, Math.Min(4096, _bytes.Length - offset)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    /// <summary>A tenant with a linked account, a connected cluster (agent token, never heartbeated), one it did not connect, and a pending link.</summary>
    /// <param name="CommandId">A command pending for the connected cluster's agent (the leave_safe_mode its safe-mode report queued).</param>
    public sealed record Subject(SpotOptimizerApp App, TenantClient Tenant, string AccountId, string PendingAccountId, string AgentToken, string UnmanagedClusterId,
        string CommandId)
    {
        public static async Task<Subject> OnboardAsync(SpotOptimizerApp app)
        {
            var tenant = await TenantClient.SignUpAsync(app);
            var accountId = await Journey.LinkAccountAsync(tenant, AwsAccount());
            var discovered = (await tenant.GetJsonAsync($"/api/clusters/discover?account_id={accountId}")).GetProperty("clusters").EnumerateArray()
                .Select(c => c.GetProperty("cluster_id").GetString()!).ToList();
            var connected = await tenant.PostJsonAsync("/api/clusters/connect", new { cluster_id = discovered[0] });
            var pending = (await tenant.PostJsonAsync("/api/connect/link", null)).GetProperty("account_id").GetString()!;
            var token = connected.GetProperty("agent_token").GetString()!;
            using var agent = new Agent.AgentChannel(app.CreateClient(), token);
            await TenantClient.ExpectAsync(await agent.SafeModeAsync("entered", DateTimeOffset.UtcNow), HttpStatusCode.OK);
            var command = (await agent.CommandsAsync()).Single().GetProperty("id").GetString()!;
            return new Subject(app, tenant, accountId, pending, token, discovered[1], command);
        }
    }

    public sealed class Target : IAsyncLifetime
    {
        public SpotOptimizerApp App { get; } = SpotOptimizerApp.With(new Dictionary<string, string?> { ["Discovery:Period"] = "01:00:00" });

        public Subject Subject { get; private set; } = null!;

        public async Task InitializeAsync() => Subject = await Subject.OnboardAsync(App);

        public Task DisposeAsync() => App.DisposeAsync().AsTask();

        /// <summary>What a write by any of the endpoints would change: organizations, the subject's accounts, clusters and activity.</summary>
        public async Task<string> SnapshotAsync()
        {
            var tenant = Subject.Tenant;
            var organizations = await App.Services.GetRequiredService<IdentityStore>().ListOrganizationsAsync(CancellationToken.None);
            var activity = (await tenant.GetJsonAsync("/api/activity/live?limit=500")).GetProperty("events").EnumerateArray()
                .Select(e => $"{e.GetProperty("id").GetInt64()} {e.GetProperty("action").GetString()}");
            return string.Join('\n',
            [
                $"organizations {organizations.Count}",
                "accounts " + (await tenant.GetJsonAsync("/api/connect/accounts")).GetRawText(),
                "clusters " + (await tenant.GetJsonAsync("/api/client/clusters")).GetRawText(),
                "discovered " + (await tenant.GetJsonAsync($"/api/clusters/discover?account_id={Subject.AccountId}")).GetRawText(),
                .. activity,
            ]);
        }

        /// <param name="valid">The valid body the request was made from (null for query and route inputs).</param>
        /// <param name="sent">The body as sent, with its defect.</param>
        public async Task AssertNothingWrittenAsync(string before, string path, JsonObject? valid, JsonObject? sent)
        {
            Assert.Equal(before, await SnapshotAsync());
            var accounts = (await Subject.Tenant.GetJsonAsync("/api/connect/accounts")).GetProperty("accounts").EnumerateArray();
            Assert.Equal("pending", accounts.Single(a => a.GetProperty("account_id").GetString() == Subject.PendingAccountId).GetProperty("status").GetString());
            var managed = (await Subject.Tenant.GetJsonAsync("/api/client/clusters")).GetProperty("clusters").EnumerateArray().Single();
            Assert.Equal("red", managed.GetProperty("agent_status").GetString());
            if (valid?["aws_account_id"]?.GetValue<string>() is { } awsAccountId)
            {
                Assert.Null(App.Services.GetRequiredService<SimulatedCloud>().World.FindAccount(awsAccountId));
            }

            if (path == "/api/auth/signup" && valid!["email"]!.GetValue<string>() is var email
                && sent?["email"] is JsonValue sentEmail && sentEmail.TryGetValue<string>(out var sentAddress) && sentAddress == email)
            {
                // The refused sign-up reserved nothing: the same email signs up now.
                using var signup = await App.CreateClient().PostAsync("/api/auth/signup",
                    ProblemAssert.Json(JsonSerializer.Serialize(new { org_name = "Retry Inc", email, password = GoodPassword })));
                Journey.AssertStatus(signup, HttpStatusCode.Created);
            }
        }
    }
}

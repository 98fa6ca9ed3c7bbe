using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SpotOptimizer.Api.Tests.Onboarding;

namespace SpotOptimizer.Api.Tests.Governance;

public abstract class TemplatesAndPoliciesTests : IAsyncLifetime
{
    private SpotOptimizerApp _app = null!;
    private TenantClient _tenant = null!;

    protected abstract bool Postgres { get; }

    public async Task InitializeAsync()
    {
        _app = await SpotOptimizerApp.CreateAsync(Postgres);
        _tenant = await TenantClient.SignUpAsync(_app);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [SkippableFact]
    public async Task CreateTemplate_FirstIsDefaultAndGpuFamilyWarned()
    {
        var first = await CreateAsync("general", ["m5", "c5"]);
        var gpu = await _tenant.PostJsonAsync("/api/templates",
            new { name = "ml", families = new[] { "g4dn" }, architectures = new[] { "x86_64" }, strategy = "on_demand", min_vcpu = 4, max_vcpu = 64 },
            HttpStatusCode.Created);

        Assert.Contains(gpu.GetProperty("warnings").EnumerateArray(), w => w.GetProperty("code").GetString() == "gpu_family");
        var templates = (await _tenant.GetJsonAsync("/api/templates")).GetProperty("templates").EnumerateArray().ToList();
        Assert.Equal([first], templates.Where(t => t.GetProperty("is_default").GetBoolean()).Select(t => t.GetProperty("id").GetString()));
    }

    [SkippableTheory]
    [InlineData("zz9", "x86_64")]
    [InlineData("g4dn", "arm64")]
    public async Task CreateTemplate_UnusableFamily_400NamingFamilies(string family, string arch)
    {
        var problem = await _tenant.PostJsonAsync("/api/templates",
            new { name = "bad", families = new[] { family }, architectures = new[] { arch }, strategy = "spot", min_vcpu = 2, max_vcpu = 8 },
            HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("families", out _));
        Assert.Empty((await _tenant.GetJsonAsync("/api/templates")).GetProperty("templates").EnumerateArray());
    }

    [SkippableFact]
    public async Task SetDefault_FortyConcurrentFlips_ExactlyOneDefault()
    {
        var ids = new List<string>();
        for (var i = 0; i < 8; i++) ids.Add(await CreateAsync($"t{i}", ["m5"]));

        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(async () =>
        {
            using var response = await _tenant.Http.PatchAsync($"/api/templates/{ids[i % ids.Count]}/default", null);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        })));

        var templates = (await _tenant.GetJsonAsync("/api/templates")).GetProperty("templates").EnumerateArray();
        Assert.Equal(1, templates.Count(t => t.GetProperty("is_default").GetBoolean()));
    }

    [SkippableFact]
    public async Task DeleteTemplate_UsedByClusterPolicy_409UntilPolicyMovesOn()
    {
        var clusterId = await ConnectedClusterAsync("710987654321");
        var used = await CreateAsync("used", ["m5"]);
        var other = await CreateAsync("other", ["c5"]);
        await PatchAsync("/api/policies/karpenter", new { cluster_id = clusterId, enabled = true, strategy = "cost_optimized", template_id = used });

        using (var refused = await _tenant.Http.DeleteAsync($"/api/templates/{used}"))
        {
            Assert.Equal("template_in_use", (await TenantClient.ExpectAsync(refused, HttpStatusCode.Conflict)).GetProperty("code").GetString());
        }

        await PatchAsync("/api/policies/karpenter", new { cluster_id = clusterId, enabled = true, template_id = other });
        using (var deleted = await _tenant.Http.DeleteAsync($"/api/templates/{used}")) Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.DoesNotContain((await _tenant.GetJsonAsync("/api/templates")).GetProperty("templates").EnumerateArray(), t => t.GetProperty("id").GetString() == used);
    }

    [SkippableFact]
    public async Task PolicyChanges_BumpVersionSeenByAgentAndLedgerHasBeforeAfter()
    {
        var accountId = await Journey.LinkAccountAsync(_tenant, "720987654321");
        var (clusterId, agentToken, _) = await Journey.ConnectFirstClusterAsync(_tenant, accountId);

        var binpack = await PatchAsync("/api/policies/binpack", new { cluster_id = clusterId, aggressiveness = 70 });
        var exclusions = await PatchAsync("/api/policies/exclusions", new { cluster_id = clusterId, namespaces = new[] { "monitoring", "batch" } });

        Assert.Equal(3, exclusions.GetProperty("policy_version").GetInt32());
        Assert.Equal(["kube-system", "monitoring", "batch"], exclusions.GetProperty("policy").GetProperty("excluded_namespaces").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal(70, binpack.GetProperty("policy").GetProperty("binpack_aggressiveness").GetInt32());
        using (var beat = await Journey.HeartbeatAsync(_app.CreateClient(), agentToken))
        {
            Assert.Equal(3, (await TenantClient.ExpectAsync(beat, HttpStatusCode.OK)).GetProperty("policy_version").GetInt32());
        }

        var entry = (await _tenant.GetJsonAsync("/api/audit?action=policy.updated")).GetProperty("entries").EnumerateArray().Last();
        var diff = await _tenant.GetJsonAsync($"/api/audit/{entry.GetProperty("id").GetInt64()}/diff");
        Assert.Contains("binpack_aggressiveness: 50 → 70", diff.GetProperty("summary").EnumerateArray().Select(s => s.GetString()));
    }

    [SkippableTheory]
    [InlineData("/api/policies/binpack", """{"cluster_id":"00000000-0000-0000-0000-000000000001","aggressiveness":85}""", "aggressiveness")]
    [InlineData("/api/policies/binpack", """{"cluster_id":"00000000-0000-0000-0000-000000000001","aggressiveness":19}""", "aggressiveness")]
    [InlineData("/api/policies/exclusions", """{"cluster_id":"00000000-0000-0000-0000-000000000001","namespaces":["Bad_Name"]}""", "namespaces")]
    [InlineData("/api/policies/karpenter", """{"cluster_id":"00000000-0000-0000-0000-000000000001","enabled":true,"strategy":"yolo"}""", "strategy")]
    public async Task PatchPolicy_OutOfRange_400NamingField(string url, string body, string field)
    {
        using var response = await _tenant.Http.PatchAsync(url, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var problem = await TenantClient.ExpectAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }

    [SkippableFact]
    public async Task Karpenter_UnknownTemplate_422AndPolicyUnchanged()
    {
        var clusterId = await ConnectedClusterAsync("730987654321");

        using var response = await _tenant.Http.PatchAsJsonAsync("/api/policies/karpenter", new { cluster_id = clusterId, enabled = true, template_id = Guid.NewGuid() });

        Assert.Equal("template_not_found", (await TenantClient.ExpectAsync(response, HttpStatusCode.UnprocessableEntity)).GetProperty("code").GetString());
        Assert.Equal(1, (await _tenant.GetJsonAsync($"/api/policies/{clusterId}")).GetProperty("policy_version").GetInt32());
    }

    [SkippableFact]
    public async Task ValidateTemplate_GpuFamilyOnArm_ArchMismatchWarning()
    {
        var result = await _tenant.PostJsonAsync("/api/templates/validate", new { families = new[] { "g4dn", "m6g" }, arch = "arm64" });
        var codes = result.GetProperty("warnings").EnumerateArray().Select(w => (w.GetProperty("code").GetString(), w.GetProperty("family").GetString())).ToList();
        Assert.Contains(("arch_mismatch", "g4dn"), codes);
        Assert.DoesNotContain(codes, c => c.Item2 == "m6g");
    }

    private async Task<string> CreateAsync(string name, string[] families) =>
        (await _tenant.PostJsonAsync("/api/templates",
            new { name, families, architectures = new[] { "x86_64" }, strategy = "spot", min_vcpu = 2, max_vcpu = 16 }, HttpStatusCode.Created))
        .GetProperty("template").GetProperty("id").GetString()!;

    private async Task<string> ConnectedClusterAsync(string awsAccountId)
    {
        var accountId = await Journey.LinkAccountAsync(_tenant, awsAccountId);
        return (await Journey.ConnectFirstClusterAsync(_tenant, accountId)).ClusterId;
    }

    private async Task<JsonElement> PatchAsync(string url, object body)
    {
        using var response = await _tenant.Http.PatchAsJsonAsync(url, body);
        return await TenantClient.ExpectAsync(response, HttpStatusCode.OK);
    }
}

public sealed class SqliteTemplatesAndPoliciesTests : TemplatesAndPoliciesTests
{
    protected override bool Postgres => false;
}

public sealed class PostgresTemplatesAndPoliciesTests : TemplatesAndPoliciesTests
{
    protected override bool Postgres => true;
}

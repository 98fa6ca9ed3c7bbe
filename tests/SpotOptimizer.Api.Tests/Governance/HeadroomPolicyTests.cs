using System.Net;
using System.Text;
using System.Text.Json;
using SpotOptimizer.Api.Tests.Onboarding;

namespace SpotOptimizer.Api.Tests.Governance;

/// <summary>
/// PATCH /api/policies/{clusterId}/headroom: none by default; a change bumps the policy version the agent sees and is
/// ledgered with its before/after; the same headroom again changes nothing; all zero removes it; bad values are refused
/// whole with the field named.
/// </summary>
public abstract class HeadroomPolicyTests : IAsyncLifetime
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
    public async Task PatchHeadroom_SetSameThenZero_VersionLedgerAndGetFollow()
    {
        var accountId = await Journey.LinkAccountAsync(_tenant, "740987654321");
        var (clusterId, agentToken, _) = await Journey.ConnectFirstClusterAsync(_tenant, accountId);
        var fresh = await _tenant.GetJsonAsync($"/api/policies/{clusterId}");
        Assert.Equal(JsonValueKind.Null, fresh.GetProperty("policy").GetProperty("headroom").ValueKind);

        var set = await PatchAsync(clusterId, """{"cpu_millicores":2000,"memory_mib":4096,"share_of_requests":0.1}""", HttpStatusCode.OK);
        var again = await PatchAsync(clusterId, """{"cpu_millicores":2000,"memory_mib":4096,"share_of_requests":0.1}""", HttpStatusCode.OK);

        Assert.Equal(2, set.GetProperty("policy_version").GetInt32());
        Assert.Equal(2, again.GetProperty("policy_version").GetInt32());
        var shown = (await _tenant.GetJsonAsync($"/api/policies/{clusterId}")).GetProperty("policy").GetProperty("headroom");
        Assert.Equal((2000, 4096, 0.1),
            (shown.GetProperty("cpu_millicores").GetInt32(), shown.GetProperty("memory_mib").GetInt32(), shown.GetProperty("share_of_requests").GetDouble()));
        using (var beat = await Journey.HeartbeatAsync(_app.CreateClient(), agentToken))
        {
            Assert.Equal(2, (await TenantClient.ExpectAsync(beat, HttpStatusCode.OK)).GetProperty("policy_version").GetInt32());
        }

        var entries = (await _tenant.GetJsonAsync("/api/audit?action=policy.updated")).GetProperty("entries").EnumerateArray().ToList();
        var entry = Assert.Single(entries);
        Assert.Equal($"cluster:{clusterId}", entry.GetProperty("resource").GetString());
        var diff = await _tenant.GetJsonAsync($"/api/audit/{entry.GetProperty("id").GetInt64()}/diff");
        var summary = diff.GetProperty("summary").EnumerateArray().Select(s => s.GetString()!).ToList();
        Assert.Contains(summary, s => s.StartsWith("headroom", StringComparison.Ordinal) && s.Contains("2000", StringComparison.Ordinal));
        Assert.DoesNotContain(summary, s => s.StartsWith("binpack", StringComparison.Ordinal));

        var cleared = await PatchAsync(clusterId, """{"cpu_millicores":0,"memory_mib":0,"share_of_requests":0}""", HttpStatusCode.OK);

        Assert.Equal(3, cleared.GetProperty("policy_version").GetInt32());
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("policy").GetProperty("headroom").ValueKind);
    }

    [SkippableTheory]
    [InlineData("""{"cpu_millicores":-1,"memory_mib":0,"share_of_requests":0}""", "cpu_millicores")]
    [InlineData("""{"cpu_millicores":1000001,"memory_mib":0,"share_of_requests":0}""", "cpu_millicores")]
    [InlineData("""{"cpu_millicores":0,"memory_mib":-5,"share_of_requests":0}""", "memory_mib")]
    [InlineData("""{"cpu_millicores":0,"memory_mib":4194305,"share_of_requests":0}""", "memory_mib")]
    [InlineData("""{"cpu_millicores":0,"memory_mib":0,"share_of_requests":0.51}""", "share_of_requests")]
    [InlineData("""{"cpu_millicores":0,"memory_mib":0,"share_of_requests":-0.1}""", "share_of_requests")]
    [InlineData("""{"cpu_millicores":500,"memory_mib":512}""", "share_of_requests")]
    public async Task PatchHeadroom_OutOfRangeOrMissing_400NamingFieldAndNothingChanged(string body, string field)
    {
        var accountId = await Journey.LinkAccountAsync(_tenant, $"75{Random.Shared.NextInt64(1_000_000_000, 10_000_000_000)}");
        var clusterId = (await Journey.ConnectFirstClusterAsync(_tenant, accountId)).ClusterId;

        var problem = await PatchAsync(clusterId, body, HttpStatusCode.BadRequest);

        Assert.Equal("validation_failed", problem.GetProperty("code").GetString());
        Assert.Equal([field], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        var policy = await _tenant.GetJsonAsync($"/api/policies/{clusterId}");
        Assert.Equal(1, policy.GetProperty("policy_version").GetInt32());
        Assert.Equal(JsonValueKind.Null, policy.GetProperty("policy").GetProperty("headroom").ValueKind);
    }

    [SkippableFact]
    public async Task PatchHeadroom_ClusterIdNotAUuid_400NamesTheField()
    {
        var problem = await PatchAsync("not-a-uuid", """{"cpu_millicores":0,"memory_mib":0,"share_of_requests":0}""", HttpStatusCode.BadRequest);

        Assert.Equal("validation_failed", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("cluster_id", out _));
    }

    private async Task<JsonElement> PatchAsync(string clusterId, string body, HttpStatusCode expected)
    {
        var withCluster = $"{{\"cluster_id\":\"{clusterId}\"," + body.TrimStart()[1..];
        using var response = await _tenant.Http.PatchAsync("/api/policies/headroom", new StringContent(withCluster, Encoding.UTF8, "application/json"));
        return await TenantClient.ExpectAsync(response, expected);
    }
}

public sealed class SqliteHeadroomPolicyTests : HeadroomPolicyTests
{
    protected override bool Postgres => false;
}

public sealed class PostgresHeadroomPolicyTests : HeadroomPolicyTests
{
    protected override bool Postgres => true;
}

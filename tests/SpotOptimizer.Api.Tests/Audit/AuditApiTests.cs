using System.Net;
using System.Security.Cryptography;
using Dapper;
using SpotOptimizer.Storage;
using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Api.Tests.Audit;

public abstract class AuditApiTests : IAsyncLifetime
{
    private SpotOptimizerApp _app = null!;
    private TenantClient _tenant = null!;

    private AuditLedger Ledger => _app.Services.GetRequiredService<AuditLedger>();

    protected abstract bool Postgres { get; }

    public async Task InitializeAsync()
    {
        _app = await SpotOptimizerApp.CreateAsync(Postgres);
        _tenant = await TenantClient.SignUpAsync(_app);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [SkippableFact]
    public async Task Diff_PolicyChange_ListsChangedFieldsOnly()
    {
        var entry = await Ledger.RecordAsync(_tenant.OrganizationId, "user:1", "policy.updated", "cluster:c1",
            """{"max_nodes":15,"strategy":"spot","limits":{"cpu":8}}""", default, before: """{"max_nodes":10,"strategy":"spot","limits":{"cpu":4}}""");

        var diff = await _tenant.GetJsonAsync($"/api/audit/{entry.Id}/diff");

        Assert.Equal(["limits.cpu: 4 → 8", "max_nodes: 10 → 15"], diff.GetProperty("summary").EnumerateArray().Select(s => s.GetString()));
    }

    [SkippableFact]
    public async Task Verify_RowEditedDirectlyInDatabase_ReportsBrokenEntry()
    {
        for (var i = 0; i < 4; i++) await Ledger.RecordAsync(_tenant.OrganizationId, "user:1", "policy.updated", "cluster:c1", $$"""{"n":{{i}}}""", default);
        Assert.True((await _tenant.GetJsonAsync("/api/audit/verify")).GetProperty("intact").GetBoolean());

        var database = _app.Services.GetRequiredService<IRelationalDatabase>();
        await using (var connection = await database.OpenConnectionAsync(default))
        {
            await connection.ExecuteAsync("UPDATE audit_ledger SET actor = 'user:someone-else' WHERE organization_id = @Org AND seq = 3", new { Org = _tenant.OrganizationId });
        }

        var verify = await _tenant.GetJsonAsync("/api/audit/verify");
        Assert.False(verify.GetProperty("intact").GetBoolean());
        Assert.Equal(3, verify.GetProperty("first_broken_seq").GetInt64());
    }

    [SkippableFact]
    public async Task Export_Csv_DigestHeaderMatchesBodyAndNamesChainHead()
    {
        await Ledger.RecordAsync(_tenant.OrganizationId, "user:1", "template.created", "template:t1", """{"name":"a, \"quoted\""}""", default);

        using var response = await _tenant.Http.GetAsync("/api/audit/export?format=csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(body)), response.Headers.GetValues("X-Content-SHA256").Single());
        Assert.Equal("2", response.Headers.GetValues("X-Chain-Head-Seq").Single());
        var lines = System.Text.Encoding.UTF8.GetString(body).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Contains("\"{\"\"name\"\":\"\"a, \\\"\"quoted\\\"\"\"\"}\"", lines[2], StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Search_ByActionWithCursor_PagesThroughOwnEntriesOnly()
    {
        for (var i = 0; i < 5; i++) await Ledger.RecordAsync(_tenant.OrganizationId, "user:1", "policy.updated", $"cluster:{i}", null, default);
        var other = await TenantClient.SignUpAsync(_app);
        await Ledger.RecordAsync(other.OrganizationId, "user:2", "policy.updated", "cluster:theirs", null, default);

        var first = await _tenant.GetJsonAsync("/api/audit?action=policy.updated&limit=3");
        var next = first.GetProperty("next_cursor").GetString();
        var second = await _tenant.GetJsonAsync($"/api/audit?action=policy.updated&limit=3&cursor={next}");

        var resources = first.GetProperty("entries").EnumerateArray().Concat(second.GetProperty("entries").EnumerateArray())
            .Select(e => e.GetProperty("resource").GetString()).ToList();
        Assert.Equal(["cluster:4", "cluster:3", "cluster:2", "cluster:1", "cluster:0"], resources);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, second.GetProperty("next_cursor").ValueKind);
    }

    [SkippableFact]
    public async Task Diff_EntryOfAnotherOrganization_NotFoundLikeMissing()
    {
        var other = await TenantClient.SignUpAsync(_app);
        var theirs = await Ledger.RecordAsync(other.OrganizationId, "user:2", "policy.updated", "cluster:x", "{}", default);

        var foreign = await _tenant.GetJsonAsync($"/api/audit/{theirs.Id}/diff", HttpStatusCode.NotFound);
        var missing = await _tenant.GetJsonAsync("/api/audit/999999/diff", HttpStatusCode.NotFound);

        Assert.Equal(missing.GetProperty("code").GetString(), foreign.GetProperty("code").GetString());
        Assert.Equal(missing.GetProperty("detail").GetString(), foreign.GetProperty("detail").GetString());
    }

    [SkippableTheory]
    [InlineData("/api/audit?limit=0", "invalid_limit")]
    [InlineData("/api/audit?cursor=abc", "invalid_cursor")]
    [InlineData("/api/audit?from=yesterday", "invalid_time")]
    [InlineData("/api/audit/export?format=xml", "invalid_format")]
    [InlineData("/api/audit/abc/diff", "invalid_id")]
    public async Task Query_BadParameter_400WithCode(string url, string code)
    {
        var problem = await _tenant.GetJsonAsync(url, HttpStatusCode.BadRequest);
        Assert.Equal(code, problem.GetProperty("code").GetString());
    }
}

public sealed class SqliteAuditApiTests : AuditApiTests
{
    protected override bool Postgres => false;
}

public sealed class PostgresAuditApiTests : AuditApiTests
{
    protected override bool Postgres => true;
}

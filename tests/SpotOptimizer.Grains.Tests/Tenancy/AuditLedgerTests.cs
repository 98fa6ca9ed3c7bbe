using Dapper;
using SpotOptimizer.Storage;
using SpotOptimizer.Tenancy;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Grains.Tests.Tenancy;

/// <summary>The hash-chained ledger on a real database: concurrent appends never fork it, and tampering is detected.</summary>
public abstract class AuditLedgerTests(StorageKind storage) : IAsyncLifetime
{
    private TestSilo _silo = null!;

    private AuditLedger Ledger => _silo.Services.GetRequiredService<AuditLedger>();

    private AuditQueries Queries => _silo.Services.GetRequiredService<AuditQueries>();

    public async Task InitializeAsync() =>
        _silo = await TestSilo.StartAsync(await storage.CreateAsync());

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        await storage.DisposeAsync();
    }

    [SkippableFact]
    public async Task Record_FiftyConcurrentAppends_OneUnbrokenChain()
    {
        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(() =>
            Ledger.RecordAsync("org-a", $"user:{i % 3}", "policy.updated", $"cluster:{i}", $$"""{"n":{{i}}}""", default))));

        var verification = await Queries.VerifyAsync("org-a", default);
        Assert.True(verification.Intact, verification.Reason);
        Assert.Equal(50, verification.EntriesChecked);
        Assert.Equal(50, verification.HeadSeq);
        Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i), (await Queries.RangeAsync("org-a", null, null, default)).Select(e => e.Seq));
    }

    [SkippableFact]
    public async Task Verify_RowEditedInDatabase_ReportsThatEntry()
    {
        await AppendAsync("org-b", 5);
        await ExecuteAsync("UPDATE audit_ledger SET after_json = '{\"max_nodes\":99}' WHERE organization_id = 'org-b' AND seq = 3");

        var verification = await Queries.VerifyAsync("org-b", default);

        Assert.False(verification.Intact);
        Assert.Equal(3, verification.FirstBroken!.Seq);
        Assert.Contains("edited", verification.Reason, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Verify_MiddleRowDeleted_ReportsTheGap()
    {
        await AppendAsync("org-c", 5);
        await ExecuteAsync("DELETE FROM audit_ledger WHERE organization_id = 'org-c' AND seq = 2");

        var verification = await Queries.VerifyAsync("org-c", default);

        Assert.False(verification.Intact);
        Assert.Equal(3, verification.FirstBroken!.Seq);
    }

    [SkippableFact]
    public async Task Verify_LastRowDeleted_HeadNoLongerMatches()
    {
        await AppendAsync("org-d", 4);
        await ExecuteAsync("DELETE FROM audit_ledger WHERE organization_id = 'org-d' AND seq = 4");

        var verification = await Queries.VerifyAsync("org-d", default);

        Assert.False(verification.Intact);
        Assert.Contains("head", verification.Reason, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Query_FiltersAndCursor_PagesNewestFirstWithinOrganization()
    {
        await AppendAsync("org-e", 7);
        await Ledger.RecordAsync("org-e", "user:x", "template.created", "template:1", null, default);
        await AppendAsync("org-f", 3);

        var first = await Queries.QueryAsync("org-e", new AuditFilter(null, "policy.updated", null, null, null), null, 3, default);
        var second = await Queries.QueryAsync("org-e", new AuditFilter(null, "policy.updated", null, null, null), first.NextCursor, 3, default);
        var last = await Queries.QueryAsync("org-e", new AuditFilter(null, "policy.updated", null, null, null), second.NextCursor, 3, default);

        Assert.Equal([7L, 6L, 5L], first.Entries.Select(e => e.Seq));
        Assert.Equal([4L, 3L, 2L], second.Entries.Select(e => e.Seq));
        Assert.Equal([1L], last.Entries.Select(e => e.Seq));
        Assert.Null(last.NextCursor);
        var byActor = await Queries.QueryAsync("org-e", new AuditFilter("user:x", null, null, null, null), null, 10, default);
        Assert.Equal("template:1", Assert.Single(byActor.Entries).Resource);
        Assert.True((await Queries.VerifyAsync("org-f", default)).Intact);
    }

    private async Task AppendAsync(string organizationId, int count)
    {
        for (var i = 1; i <= count; i++)
        {
            await Ledger.RecordAsync(organizationId, "user:1", "policy.updated", "cluster:c1", $$"""{"max_nodes":{{i}}}""", default, before: "{}");
        }
    }

    private async Task ExecuteAsync(string sql)
    {
        var database = _silo.Services.GetRequiredService<IRelationalDatabase>();
        await using var connection = await database.OpenConnectionAsync(default);
        await connection.ExecuteAsync(sql);
    }
}

public sealed class SqliteAuditLedgerTests() : AuditLedgerTests(new StorageKind.Sqlite());

public sealed class PostgresAuditLedgerTests() : AuditLedgerTests(new StorageKind.Postgres());

using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using SpotOptimizer.Api.Tests.Sweeps;
using SpotOptimizer.Tenancy;
using SpotOptimizer.Tenancy.Lifecycle;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Api.Tests.Lifecycle;

/// <summary>
/// GET/PUT /api/audit/retention and the archives: the hourly run (on its own clock, moved here) archives and deletes
/// rows past the retention behind a signed checkpoint, verification still holds, and tampering still shows.
/// </summary>
public abstract class AuditRetentionTests(bool postgres) : IAsyncLifetime
{
    private readonly ManualTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private SpotOptimizerApp _app = null!;
    private TenantClient _tenant = null!;

    public async Task InitializeAsync()
    {
        _app = await SpotOptimizerApp.CreateAsync(postgres);
        _app.TestServices = services => services.AddKeyedSingleton<TimeProvider>(AuditRetention.ClockKey, _clock);
        _tenant = await TenantClient.SignUpAsync(_app);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [SkippableFact]
    public async Task Retention_OutOfRange_400AndUnchanged()
    {
        using (var tooShort = await _tenant.Http.PutAsJsonAsync("/api/audit/retention", new { days = 29 })) await ProblemAssert.IsAsync(tooShort, HttpStatusCode.BadRequest, "validation_failed");
        using (var tooLong = await _tenant.Http.PutAsJsonAsync("/api/audit/retention", new { days = 3651 })) await ProblemAssert.IsAsync(tooLong, HttpStatusCode.BadRequest, "validation_failed");
        // "Forever" is said out loud (null): an empty body or a word is refused, not read as "keep everything".
        using (var empty = await _tenant.Http.PutAsJsonAsync("/api/audit/retention", new { })) await ProblemAssert.IsAsync(empty, HttpStatusCode.BadRequest, "validation_failed");
        using (var word = await _tenant.Http.PutAsJsonAsync("/api/audit/retention", new { days = "ninety" })) await ProblemAssert.IsAsync(word, HttpStatusCode.BadRequest, "validation_failed");
        using (var fraction = await _tenant.Http.PutAsJsonAsync("/api/audit/retention", new { days = 45.5 })) await ProblemAssert.IsAsync(fraction, HttpStatusCode.BadRequest, "validation_failed");

        Assert.Equal(JsonValueKind.Null, (await _tenant.GetJsonAsync("/api/audit/retention")).GetProperty("days").ValueKind);
        await TenantClient.ExpectAsync(await _tenant.Http.PutAsJsonAsync("/api/audit/retention", new { days = 90 }), HttpStatusCode.OK);
        Assert.Equal(90, (await _tenant.GetJsonAsync("/api/audit/retention")).GetProperty("days").GetInt32());
        Assert.Contains("audit.retention_updated", await Onboarding.Journey.ActivityActionsAsync(_tenant));
        await TenantClient.ExpectAsync(await _tenant.Http.PutAsync("/api/audit/retention", ProblemAssert.Json("""{"days":null}""")), HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, (await _tenant.GetJsonAsync("/api/audit/retention")).GetProperty("days").ValueKind);
        await TenantClient.ExpectAsync(await _tenant.Http.PutAsJsonAsync("/api/audit/retention", new { days = 90 }), HttpStatusCode.OK);
    }

    [SkippableFact]
    public async Task HourlyRun_RowsPastRetention_ArchivedDeletedAndChainStillVerifies()
    {
        var ledger = _app.Services.GetRequiredService<AuditLedger>();
        for (var i = 0; i < 3; i++) await ledger.RecordAsync(_tenant.OrganizationId, "user:1", "policy.updated", "cluster:c1", $$"""{"n":{{i}}}""", default);
        await TenantClient.ExpectAsync(await _tenant.Http.PutAsJsonAsync("/api/audit/retention", new { days = 30 }), HttpStatusCode.OK);
        var other = await TenantClient.SignUpAsync(_app);

        // Up to day 30 nothing is old enough; the next hourly run finds the first five rows past the retention. (The
        // ledger's own clock does not move, so a later run would find the run's own entry "old" too: one run is wanted.)
        _clock.Advance(TimeSpan.FromDays(30));
        Assert.Empty((await _tenant.GetJsonAsync("/api/audit/archives")).GetProperty("archives").EnumerateArray());
        _clock.Advance(TimeSpan.FromHours(1));

        var archives = await Eventually.Wait(async () => (await _tenant.GetJsonAsync("/api/audit/archives")).GetProperty("archives").EnumerateArray().ToList(),
            list => list.Count > 0, what: "the retention run");
        var archive = archives.Single(a => a.GetProperty("from_seq").GetInt64() == 1);
        var toSeq = archive.GetProperty("to_seq").GetInt64();
        Assert.Equal(5, toSeq);

        using var download = await _tenant.Http.GetAsync($"/api/audit/archives/{archive.GetProperty("id").GetString()}");
        var content = await download.Content.ReadAsByteArrayAsync();
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), download.Headers.GetValues("X-Content-SHA256").Single());
        var archived = JsonSerializer.Deserialize<List<LedgerEntry>>(content, AuditRetention.ArchiveJson)!;
        Assert.Equal(toSeq, archived.Count);
        Assert.All(archived, e => Assert.Equal(e.Hash, LedgerHash.Of(e)));

        var remaining = (await _tenant.GetJsonAsync("/api/audit?limit=500")).GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal("audit.archived", Assert.Single(remaining).GetProperty("action").GetString());
        Assert.Equal(toSeq + 1, remaining[0].GetProperty("seq").GetInt64());
        Assert.Equal(archived[^1].Hash, remaining[0].GetProperty("prev_hash").GetString());
        var verify = await _tenant.GetJsonAsync("/api/audit/verify");
        Assert.True(verify.GetProperty("intact").GetBoolean(), verify.GetRawText());
        Assert.Equal(1, verify.GetProperty("entries_checked").GetInt64());
        // Another organization without a retention keeps everything.
        Assert.Equal(1, (await other.GetJsonAsync("/api/audit?limit=500")).GetProperty("entries").GetArrayLength());
        using (var foreign = await other.Http.GetAsync($"/api/audit/archives/{archive.GetProperty("id").GetString()}"))
            await ProblemAssert.IsAsync(foreign, HttpStatusCode.NotFound, "not_found");
    }

    [SkippableFact]
    public async Task TwoRunsAtOnce_ArchiveTheSpanOnce()
    {
        await TenantClient.ExpectAsync(await _tenant.Http.PutAsJsonAsync("/api/audit/retention", new { days = 30 }), HttpStatusCode.OK);
        var retention = _app.Services.GetRequiredService<AuditRetention>();
        // Now, not later: the first run's own audit.archived entry is newer than this cutoff, as it always is in production.
        var cutoff = DateTimeOffset.UtcNow;

        var runs = await Task.WhenAll(retention.ArchiveAsync(_tenant.OrganizationId, cutoff, default), retention.ArchiveAsync(_tenant.OrganizationId, cutoff, default));

        Assert.Single(runs, r => r is not null);
        Assert.Single((await _tenant.GetJsonAsync("/api/audit/archives")).GetProperty("archives").EnumerateArray());
        Assert.True((await _tenant.GetJsonAsync("/api/audit/verify")).GetProperty("intact").GetBoolean());
    }

    [SkippableTheory]
    [InlineData("UPDATE audit_ledger SET actor = 'user:forged' WHERE organization_id = @Org", "edited")]
    [InlineData("UPDATE audit_checkpoints SET last_hash = @Forged WHERE organization_id = @Org", "not signed by the platform")]
    [InlineData("DELETE FROM audit_checkpoints WHERE organization_id = @Org", "an entry is missing")]
    public async Task AfterArchiving_TamperedRowOrCheckpoint_VerificationFails(string tamper, string reason)
    {
        var ledger = _app.Services.GetRequiredService<AuditLedger>();
        await ledger.RecordAsync(_tenant.OrganizationId, "user:1", "policy.updated", "cluster:c1", """{"n":1}""", default);
        var archive = await _app.Services.GetRequiredService<AuditRetention>().ArchiveAsync(_tenant.OrganizationId, DateTimeOffset.UtcNow.AddDays(1), default);
        Assert.NotNull(archive);
        Assert.True((await _tenant.GetJsonAsync("/api/audit/verify")).GetProperty("intact").GetBoolean());

        await LifecycleProbe.ExecuteAsync(_app, tamper, new { Org = _tenant.OrganizationId, Forged = new string('f', 64) });

        var verify = await _tenant.GetJsonAsync("/api/audit/verify");
        Assert.False(verify.GetProperty("intact").GetBoolean());
        Assert.Contains(reason, verify.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }
}

public sealed class SqliteAuditRetentionTests() : AuditRetentionTests(postgres: false);

public sealed class PostgresAuditRetentionTests() : AuditRetentionTests(postgres: true);

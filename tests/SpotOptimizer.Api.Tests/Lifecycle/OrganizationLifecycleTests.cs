using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SpotOptimizer.Api.Tests.Onboarding;
using SpotOptimizer.Api.Tests.Sweeps;
using SpotOptimizer.Tenancy;
using static SpotOptimizer.Api.Tests.Optimization.OptimizationJourney;

namespace SpotOptimizer.Api.Tests.Lifecycle;

/// <summary>GET /api/organization/export and DELETE /api/organization: a verifiable export, then erasure that keeps the chain verifiable.</summary>
public abstract class OrganizationLifecycleTests(bool postgres)
{
    [SkippableFact]
    public async Task Export_LinkedOrganization_HoldsEverythingAndItsLedgerVerifiesOffline()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres, Settings());
        var (tenant, clusterId) = await ConnectedTenantAsync(app, "410987654320", $"export-{Guid.NewGuid():N}@example.com");

        var export = await tenant.GetJsonAsync("/api/organization/export");

        Assert.Equal(tenant.OrganizationId, export.GetProperty("organization").GetProperty("id").GetString());
        var user = export.GetProperty("users").EnumerateArray().Single();
        Assert.Equal(tenant.Email, user.GetProperty("email").GetString());
        Assert.DoesNotContain("password", export.GetRawText(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains(export.GetProperty("accounts").EnumerateArray(), a => a.GetProperty("view").ValueKind == JsonValueKind.Object
            && a.GetProperty("view").GetProperty("aws_account_id").GetString() == "410987654320");
        var cluster = export.GetProperty("clusters").EnumerateArray().Single(c => c.GetProperty("cluster").GetProperty("cluster_id").GetString() == clusterId);
        Assert.Equal(JsonValueKind.Object, cluster.GetProperty("policy").ValueKind);

        var audit = export.GetProperty("audit");
        var entries = audit.GetProperty("entries").Deserialize<List<LedgerEntry>>(TenantClient.Json)!;
        Assert.Contains(entries, e => e.Action == "cluster.connected");
        var previous = LedgerHash.Genesis;
        for (var i = 0; i < entries.Count; i++)
        {
            Assert.Equal(i + 1, entries[i].Seq);
            Assert.Equal(previous, entries[i].PrevHash);
            Assert.Equal(entries[i].Hash, LedgerHash.Of(entries[i]));
            previous = entries[i].Hash;
        }

        Assert.Equal(previous, audit.GetProperty("head_hash").GetString());
        Assert.True(audit.GetProperty("intact").GetBoolean());
    }

    [SkippableFact]
    public async Task Delete_MissingOrWrongConfirmation_400AndNothingChanges()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres, Settings());
        var (tenant, _) = await ConnectedTenantAsync(app, "410987654321", $"confirm-{Guid.NewGuid():N}@example.com");

        using (var missing = await DeleteOrganizationAsync(tenant, new { })) await ProblemAssert.IsAsync(missing, HttpStatusCode.BadRequest, "confirmation_required");
        using (var wrong = await DeleteOrganizationAsync(tenant, new { confirm = "Someone else" })) await ProblemAssert.IsAsync(wrong, HttpStatusCode.BadRequest, "confirmation_mismatch");

        Assert.Single((await tenant.GetJsonAsync("/api/client/clusters")).GetProperty("clusters").EnumerateArray());
        Assert.DoesNotContain("organization.deleted", await Journey.ActivityActionsAsync(tenant));
    }

    [SkippableFact]
    public async Task Delete_ConfirmedByName_ErasesPersonalDataRefusesTokensAndKeepsTheChainVerifiable()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres, Settings());
        var tenant = await TenantClient.SignUpAsync(app, $"erase-{Guid.NewGuid():N}@example.com");
        var accountId = await Journey.LinkAccountAsync(tenant, "410987654322");
        var (_, agentToken, _) = await Journey.ConnectFirstClusterAsync(tenant, accountId);
        var (bystander, _) = await ConnectedTenantAsync(app, "410987654323", $"bystander-{Guid.NewGuid():N}@example.com");
        var name = (await tenant.GetJsonAsync("/api/auth/me")).GetProperty("organization_name").GetString()!;
        using (var rules = await tenant.Http.PutAsJsonAsync("/api/notifications/rules", new
               {
                   rules = new object[] { new { events = new[] { "job_failed" }, channel = "email", emails = new[] { "oncall@erase-me.io" } } },
               }))
        {
            Assert.Equal(HttpStatusCode.OK, rules.StatusCode);
        }

        var deleted = await TenantClient.ExpectAsync(await DeleteOrganizationAsync(tenant, new { confirm = name }), HttpStatusCode.OK);

        Assert.Equal(1, deleted.GetProperty("erasure").GetProperty("users_deleted").GetInt32());
        // The export comes first: the answer carries the organization's data as it was, its ledger and people included.
        var export = deleted.GetProperty("export");
        Assert.Equal(name, export.GetProperty("organization").GetProperty("name").GetString());
        Assert.Contains(export.GetProperty("users").EnumerateArray(), u => u.GetProperty("email").GetString() == tenant.Email);
        Assert.Contains(export.GetProperty("audit").GetProperty("entries").EnumerateArray(), e => e.GetProperty("action").GetString() == "notifications.rules_replaced");
        using (var me = await tenant.Http.GetAsync("/api/auth/me")) Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        using (var clusters = await tenant.Http.GetAsync("/api/client/clusters")) Assert.Equal(HttpStatusCode.Unauthorized, clusters.StatusCode);
        using (var signIn = await app.CreateClient().PostAsJsonAsync("/api/auth/token", new { email = tenant.Email, password = TenantClient.Password }))
            await ProblemAssert.IsAsync(signIn, HttpStatusCode.Unauthorized, "invalid_credentials");
        using (var beat = await Journey.HeartbeatAsync(app.CreateClient(), agentToken)) Assert.Equal(HttpStatusCode.Unauthorized, beat.StatusCode);

        var queries = app.Services.GetRequiredService<AuditQueries>();
        var verification = await queries.VerifyAsync(tenant.OrganizationId, default);
        Assert.True(verification.Intact, verification.Reason);
        Assert.True(verification.EntriesChecked > 5);
        var rows = await LifecycleProbe.QueryAsync<(string Action, string? After)>(app,
            "SELECT action, after_json FROM audit_ledger WHERE organization_id = @Org ORDER BY seq", new { Org = tenant.OrganizationId });
        Assert.Contains(rows, r => r.Action == "organization.deleted");
        Assert.Equal("organization.erased", rows[^1].Action);
        Assert.DoesNotContain(rows, r => (r.After ?? "").Contains(tenant.Email, StringComparison.OrdinalIgnoreCase) || (r.After ?? "").Contains(name, StringComparison.Ordinal));
        Assert.Contains(rows, r => (r.After ?? "").Contains("[redacted]", StringComparison.Ordinal));
        // Addresses it gave us for notifications are personal data too, in the ledger and in the module's own tables.
        Assert.DoesNotContain(rows, r => (r.After ?? "").Contains("oncall@erase-me.io", StringComparison.Ordinal));
        var notificationRows = await LifecycleProbe.QueryAsync<long>(app,
            "SELECT COUNT(*) FROM notification_settings WHERE organization_id = @Org", new { Org = tenant.OrganizationId });
        Assert.Equal(0, notificationRows.Single());

        var bystanderVerify = await bystander.GetJsonAsync("/api/audit/verify");
        Assert.True(bystanderVerify.GetProperty("intact").GetBoolean());
        Assert.Single((await bystander.GetJsonAsync("/api/client/clusters")).GetProperty("clusters").EnumerateArray());
        var again = await TenantClient.SignUpAsync(app, tenant.Email);
        Assert.NotEqual(tenant.OrganizationId, again.OrganizationId);

        // Editing a redacted row is still caught: the erasure checkpoint signs the span's content.
        await LifecycleProbe.ExecuteAsync(app, "UPDATE audit_ledger SET after_json = '{\"name\":\"forged\"}' WHERE organization_id = @Org AND seq = 1",
            new { Org = tenant.OrganizationId });
        var tampered = await queries.VerifyAsync(tenant.OrganizationId, default);
        Assert.False(tampered.Intact);
        Assert.Contains("erased span", tampered.Reason, StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> DeleteOrganizationAsync(TenantClient tenant, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, "/api/organization") { Content = JsonContent.Create(body) };
        return await tenant.Http.SendAsync(request);
    }
}

public sealed class SqliteOrganizationLifecycleTests() : OrganizationLifecycleTests(postgres: false);

public sealed class PostgresOrganizationLifecycleTests() : OrganizationLifecycleTests(postgres: true);

using System.Data.Common;
using System.Text.Json;
using Dapper;

namespace SpotOptimizer.Tenancy.Lifecycle;

/// <summary>What an erasure did; <see cref="FromSeq"/>..<see cref="ToSeq"/> is the span its checkpoint attests.</summary>
public sealed record ErasureResult(long FromSeq, long ToSeq, int EntriesRedacted, int UsersDeleted);

/// <summary>
/// The last step of deleting an organization, in one transaction: personal data leaves the ledger's JSON (rows stay,
/// with their original hashes and links), a signed erasure checkpoint attests the redacted span, the organization's
/// tenant rows go (users — so its e-mails can sign up again — accounts, settings, archives, completed cloud actions,
/// declared commitments)
/// and the organization joins the erased set, which refuses its outstanding tokens.
/// </summary>
public sealed class OrganizationErasure(
    TenancyDatabase db, AuditLedger ledger, ICheckpointSigner signer, ErasedOrganizations erased, IEnumerable<IOrganizationDataEraser> modules)
{
    private static readonly string[] TenantTables = ["commitments", "cloud_actions", "audit_archives", "audit_retention", "invitations", "users", "aws_accounts"];

    /// <summary>Sign-in state keyed by user or session: removed before the users, so no session outlives its user.</summary>
    private static readonly string[] SessionData =
    [
        "DELETE FROM refresh_tokens WHERE session_id IN (SELECT id FROM sessions WHERE organization_id = @OrganizationId)",
        "DELETE FROM sessions WHERE organization_id = @OrganizationId",
        "DELETE FROM password_resets WHERE user_id IN (SELECT id FROM users WHERE organization_id = @OrganizationId)",
    ];

    public async Task<ErasureResult> EraseAsync(string organizationId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = await db.Database.BeginWriteTransactionAsync(connection, cancellationToken);
        var parameters = new { OrganizationId = organizationId };
        var personal = (await connection.QueryAsync<string>(new CommandDefinition(
                "SELECT name FROM organizations WHERE id = @OrganizationId UNION ALL SELECT email FROM users WHERE organization_id = @OrganizationId",
                parameters, transaction, cancellationToken: cancellationToken)))
            .Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

        await LedgerCheckpoints.LockHeadAsync(db, connection, transaction, organizationId, cancellationToken);
        var entries = await LedgerCheckpoints.EntriesAsync(connection, transaction, organizationId, null, cancellationToken);
        var redactedCount = 0;
        var recomputed = new List<string>(entries.Count);
        foreach (var entry in entries)
        {
            var redacted = entry with
            {
                Resource = RedactText(entry.Resource, personal),
                Before = PersonalData.Redact(entry.Before, personal),
                After = PersonalData.Redact(entry.After, personal),
            };
            recomputed.Add(LedgerHash.Of(redacted));
            if (redacted == entry) continue;
            redactedCount++;
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE audit_ledger SET resource = @Resource, before_json = @Before, after_json = @After WHERE id = @Id",
                new { redacted.Resource, redacted.Before, redacted.After, entry.Id }, transaction, cancellationToken: cancellationToken));
        }

        var nowMs = db.NowMs();
        var (fromSeq, toSeq) = entries.Count == 0 ? (0L, 0L) : (entries[0].Seq, entries[^1].Seq);
        if (entries.Count > 0)
        {
            await LedgerCheckpoints.AddAsync(connection, transaction, signer, organizationId, CheckpointKinds.Erasure, fromSeq, toSeq, entries[^1].Hash,
                LedgerChain.Digest(recomputed), nowMs, cancellationToken);
        }

        var usersDeleted = 0;
        foreach (var module in modules) await module.EraseAsync(connection, transaction, organizationId, cancellationToken);
        foreach (var sql in SessionData) await Execute(connection, transaction, sql, parameters, cancellationToken);
        foreach (var table in TenantTables)
        {
            var deleted = await Execute(connection, transaction, $"DELETE FROM {table} WHERE organization_id = @OrganizationId", parameters, cancellationToken);
            if (table == "users") usersDeleted = deleted;
        }

        await Execute(connection, transaction, "DELETE FROM organizations WHERE id = @OrganizationId", parameters, cancellationToken);
        await Execute(connection, transaction,
            "INSERT INTO erased_organizations (organization_id, erased_at_ms) VALUES (@OrganizationId, @NowMs) ON CONFLICT (organization_id) DO NOTHING",
            new { OrganizationId = organizationId, NowMs = nowMs }, cancellationToken);
        var result = new ErasureResult(fromSeq, toSeq, redactedCount, usersDeleted);
        var erasedEntry = await ledger.AppendAsync(connection, transaction, new LedgerDraft(organizationId, "system:erasure", null, "organization.erased",
            $"organization:{organizationId}", null, JsonSerializer.Serialize(result, AuditRetention.ArchiveJson)), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        erased.Add(organizationId);
        await ledger.PublishAsync(erasedEntry);
        return result;
    }

    private static string RedactText(string text, IReadOnlyCollection<string> personal) =>
        personal.Where(p => p.Length >= 4).Aggregate(text, (current, p) => current.Replace(p, PersonalData.Mark, StringComparison.OrdinalIgnoreCase));

    private static Task<int> Execute(DbConnection connection, DbTransaction transaction, string sql, object parameters, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken));
}

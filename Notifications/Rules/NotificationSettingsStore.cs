using System.Data.Common;
using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Notifications.Rules;

/// <summary>A change that created or replaced the webhook signing secret: <see cref="NewSigningSecret"/> is shown this once.</summary>
public sealed record SettingsChange(NotificationSettings Settings, string? NewSigningSecret);

/// <summary>
/// Each organization's rules, time zone and webhook signing secret. Every change is one write transaction with its
/// audit entry (before and after, secrets masked); the secret itself is never returned after it was shown.
/// </summary>
public sealed class NotificationSettingsStore(TenancyDatabase db, AuditLedger ledger, ICallerContext caller)
{
    public const string Resource = "notifications:settings";

    public async Task<NotificationSettings> GetAsync(string organizationId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return await ReadAsync(connection, null, organizationId, cancellationToken) ?? NotificationSettings.Empty(organizationId);
    }

    /// <summary>The organizations' rules for one event: one organization's, or every organization's when <paramref name="organizationId"/> is null.</summary>
    public async Task<IReadOnlyList<(string OrganizationId, NotificationRule Rule)>> RulesForAsync(
        string? organizationId, string notificationEvent, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM notification_settings" + (organizationId is null ? "" : " WHERE organization_id = @organizationId"),
            new { organizationId }, cancellationToken: cancellationToken));
        return [.. rows.SelectMany(r => r.ToSettings().Rules
            .Where(rule => notificationEvent == NotificationEvents.Test || rule.Events.Contains(notificationEvent))
            .Select(rule => (r.OrganizationId, rule)))];
    }

    public async Task<string?> SigningSecretAsync(string organizationId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT signing_secret FROM notification_settings WHERE organization_id = @organizationId", new { organizationId }, cancellationToken: cancellationToken));
    }

    /// <summary>Replaces the whole rule set; the first webhook rule creates the signing secret.</summary>
    public Task<SettingsChange> ReplaceRulesAsync(string organizationId, string actor, IReadOnlyList<NotificationRule> rules, CancellationToken cancellationToken) =>
        ChangeAsync(organizationId, actor, "notifications.rules_replaced", current =>
            (current with { Rules = rules }, !current.HasSigningSecret && rules.Any(r => r.Channel == ChannelNames.Webhook)), cancellationToken);

    public Task<SettingsChange> SetTimeZoneAsync(string organizationId, string actor, string timeZone, CancellationToken cancellationToken) =>
        ChangeAsync(organizationId, actor, "notifications.settings_updated", current => (current with { TimeZone = timeZone }, false), cancellationToken);

    public Task<SettingsChange> RotateSigningSecretAsync(string organizationId, string actor, CancellationToken cancellationToken) =>
        ChangeAsync(organizationId, actor, "notifications.signing_secret_rotated", current => (current, true), cancellationToken);

    private async Task<SettingsChange> ChangeAsync(
        string organizationId, string actor, string action, Func<NotificationSettings, (NotificationSettings Next, bool NewSecret)> change,
        CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = await db.Database.BeginWriteTransactionAsync(connection, cancellationToken);
        var current = await ReadAsync(connection, transaction, organizationId, cancellationToken) ?? NotificationSettings.Empty(organizationId);
        var (next, newSecret) = change(current);
        var nowMs = db.NowMs();
        string? secret = null;
        if (newSecret)
        {
            secret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            next = next with { HasSigningSecret = true, SecretCreatedAt = TenancyDatabase.FromMs(nowMs) };
        }

        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO notification_settings (organization_id, timezone, rules_json, signing_secret, secret_created_at_ms, updated_at_ms)
            VALUES (@OrganizationId, @TimeZone, @RulesJson, @Secret, @SecretAtMs, @NowMs)
            ON CONFLICT (organization_id) DO UPDATE SET timezone = excluded.timezone, rules_json = excluded.rules_json,
                signing_secret = COALESCE(@Secret, notification_settings.signing_secret),
                secret_created_at_ms = COALESCE(@SecretAtMs, notification_settings.secret_created_at_ms), updated_at_ms = excluded.updated_at_ms
            """,
            new
            {
                OrganizationId = organizationId, next.TimeZone, RulesJson = JsonSerializer.Serialize(next.Rules, NotificationJson.Options),
                Secret = secret, SecretAtMs = secret is null ? (long?)null : nowMs, NowMs = nowMs,
            },
            transaction, cancellationToken: cancellationToken));
        var entry = await ledger.AppendAsync(connection, transaction, new LedgerDraft(organizationId, actor, caller.Impersonator, action, Resource,
            AuditView(current), AuditView(next)), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await ledger.PublishAsync(entry);
        return new SettingsChange(next, secret);
    }

    /// <summary>What the audit trail keeps: no secret, and Slack/Teams URLs (bearer secrets themselves) masked.</summary>
    private static string AuditView(NotificationSettings settings) => JsonSerializer.Serialize(new
    {
        timezone = settings.TimeZone,
        signing_secret = settings.HasSigningSecret ? "configured (masked)" : null,
        rules = settings.Rules.Select(r => new { r.Id, r.Events, r.Channel, target = RuleValidation.MaskTarget(r.Channel, r.Target) }),
    }, NotificationJson.Options);

    private const string Columns =
        "organization_id AS OrganizationId, timezone AS TimeZone, rules_json AS RulesJson, signing_secret IS NOT NULL AS HasSecret, secret_created_at_ms AS SecretCreatedAtMs";

    private static async Task<NotificationSettings?> ReadAsync(DbConnection connection, DbTransaction? transaction, string organizationId, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM notification_settings WHERE organization_id = @organizationId", new { organizationId }, transaction,
            cancellationToken: cancellationToken));
        return row?.ToSettings();
    }

    /// <summary>Settable properties: the drivers return the boolean as bool (PostgreSQL) or Int64 (SQLite).</summary>
    private sealed class Row
    {
        public string OrganizationId { get; set; } = "";

        public string TimeZone { get; set; } = "";

        public string RulesJson { get; set; } = "[]";

        public object? HasSecret { get; set; }

        public long? SecretCreatedAtMs { get; set; }

        public NotificationSettings ToSettings() => new(
            OrganizationId, TimeZone, JsonSerializer.Deserialize<List<NotificationRule>>(RulesJson, NotificationJson.Options) ?? [],
            Convert.ToBoolean(HasSecret, System.Globalization.CultureInfo.InvariantCulture),
            SecretCreatedAtMs is { } ms ? TenancyDatabase.FromMs(ms) : null);
    }
}

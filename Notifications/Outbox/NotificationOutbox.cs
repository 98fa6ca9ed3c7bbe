using Dapper;
using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Notifications.Outbox;

/// <summary>One delivery to make: an event for one rule's destination.</summary>
public sealed record OutboxDraft(string OrganizationId, string IdempotencyKey, string EventId, string Event, string RuleId, string Channel, string Target, string PayloadJson);

/// <summary>A claimed row: <see cref="Attempts"/> were made before this one.</summary>
public sealed record OutboxItem(long Id, string OrganizationId, string EventId, string Event, string RuleId, string Channel, string Target, string PayloadJson, int Attempts);

public static class DeliveryStatus
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";

    /// <summary>Refused for good (a 4xx) or out of attempts.</summary>
    public const string Failed = "failed";
}

/// <summary>What one attempt came to.</summary>
/// <param name="NextRetryAt">When the next attempt is due; null when this was the last one.</param>
public sealed record AttemptRecord(int Attempt, DateTimeOffset At, int? StatusCode, string? Error, long DurationMs, DateTimeOffset? NextRetryAt);

public sealed record DeliveryView(
    long Id, string EventId, string Event, string RuleId, string Channel, string Target, string Status, int Attempts,
    DateTimeOffset CreatedAt, DateTimeOffset? DeliveredAt, DateTimeOffset? NextAttemptAt, IReadOnlyList<AttemptRecord> AttemptLog);

/// <summary>
/// The durable outbox. Enqueueing is idempotent by key (a unique constraint, so N observers of one ledger entry
/// queue it once); claiming takes a lease (PostgreSQL: <c>FOR UPDATE SKIP LOCKED</c>; SQLite: the single write lock),
/// and an attempt is recorded only by the lease's owner, so two dispatchers never deliver the same row at once.
/// </summary>
public sealed class NotificationOutbox(TenancyDatabase db)
{
    public async Task<int> EnqueueAsync(IReadOnlyList<OutboxDraft> drafts, CancellationToken cancellationToken)
    {
        if (drafts.Count == 0) return 0;
        var nowMs = db.NowMs();
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = await db.Database.BeginWriteTransactionAsync(connection, cancellationToken);
        var inserted = 0;
        foreach (var d in drafts)
        {
            inserted += await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO notification_outbox (organization_id, idempotency_key, event_id, event, rule_id, channel, target, payload_json, status, attempts,
                                                 next_attempt_at_ms, created_at_ms)
                VALUES (@OrganizationId, @IdempotencyKey, @EventId, @Event, @RuleId, @Channel, @Target, @PayloadJson, 'pending', 0, @NowMs, @NowMs)
                ON CONFLICT (idempotency_key) DO NOTHING
                """,
                new { d.OrganizationId, d.IdempotencyKey, d.EventId, d.Event, d.RuleId, d.Channel, d.Target, d.PayloadJson, NowMs = nowMs },
                transaction, cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        return inserted;
    }

    /// <summary>Leases up to <paramref name="max"/> due rows to <paramref name="owner"/> until <c>now + lease</c>.</summary>
    public async Task<IReadOnlyList<OutboxItem>> ClaimAsync(string owner, TimeSpan lease, int max, CancellationToken cancellationToken)
    {
        var nowMs = db.NowMs();
        var skipLocked = db.Database.Dialect == "postgres" ? " FOR UPDATE SKIP LOCKED" : "";
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = await db.Database.BeginWriteTransactionAsync(connection, cancellationToken);
        var items = (await connection.QueryAsync<ItemRow>(new CommandDefinition(
            $"""
            UPDATE notification_outbox SET lease_owner = @owner, lease_until_ms = @UntilMs
            WHERE id IN (SELECT id FROM notification_outbox
                         WHERE status = 'pending' AND next_attempt_at_ms <= @NowMs AND (lease_until_ms IS NULL OR lease_until_ms < @NowMs)
                         ORDER BY next_attempt_at_ms, id LIMIT @max{skipLocked})
            RETURNING id AS Id, organization_id AS OrganizationId, event_id AS EventId, event AS Event, rule_id AS RuleId, channel AS Channel,
                      target AS Target, payload_json AS PayloadJson, attempts AS Attempts
            """,
            new { owner, UntilMs = nowMs + (long)lease.TotalMilliseconds, NowMs = nowMs, max }, transaction, cancellationToken: cancellationToken))).Select(r => r.ToItem()).ToList();
        await transaction.CommitAsync(cancellationToken);
        return items;
    }

    /// <summary>Logs the attempt and moves the row on; false when the lease was lost (another dispatcher owns the row now).</summary>
    public async Task<bool> RecordAttemptAsync(OutboxItem item, string owner, AttemptRecord attempt, string status, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = await db.Database.BeginWriteTransactionAsync(connection, cancellationToken);
        var atMs = attempt.At.ToUnixTimeMilliseconds();
        var updated = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE notification_outbox SET status = @status, attempts = @Attempt, next_attempt_at_ms = @NextMs, lease_owner = NULL, lease_until_ms = NULL,
                   delivered_at_ms = @DeliveredMs
            WHERE id = @Id AND lease_owner = @owner
            """,
            new
            {
                status, attempt.Attempt, NextMs = attempt.NextRetryAt?.ToUnixTimeMilliseconds() ?? atMs, item.Id, owner,
                DeliveredMs = status == DeliveryStatus.Delivered ? atMs : (long?)null,
            },
            transaction, cancellationToken: cancellationToken));
        if (updated == 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return false;
        }

        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO notification_attempts (outbox_id, attempt, attempted_at_ms, status_code, error, duration_ms, next_retry_at_ms)
            VALUES (@Id, @Attempt, @AtMs, @StatusCode, @Error, @DurationMs, @NextMs)
            """,
            new { item.Id, attempt.Attempt, AtMs = atMs, attempt.StatusCode, attempt.Error, attempt.DurationMs, NextMs = attempt.NextRetryAt?.ToUnixTimeMilliseconds() },
            transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>The organization's newest deliveries with every attempt, newest first.</summary>
    public async Task<IReadOnlyList<DeliveryView>> ListAsync(string organizationId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<DeliveryRow>(new CommandDefinition(
            """
            SELECT id AS Id, event_id AS EventId, event AS Event, rule_id AS RuleId, channel AS Channel, target AS Target, status AS Status,
                   attempts AS Attempts, created_at_ms AS CreatedAtMs, delivered_at_ms AS DeliveredAtMs, next_attempt_at_ms AS NextAttemptAtMs
            FROM notification_outbox WHERE organization_id = @organizationId ORDER BY id DESC LIMIT @limit
            """,
            new { organizationId, limit }, cancellationToken: cancellationToken))).ToList();
        var ids = rows.Select(r => r.Id).DefaultIfEmpty(0).ToArray();
        var attempts = (await connection.QueryAsync<AttemptRow>(new CommandDefinition(
            $"""
            SELECT outbox_id AS OutboxId, attempt AS Attempt, attempted_at_ms AS AtMs, status_code AS StatusCode, error AS Error,
                   duration_ms AS DurationMs, next_retry_at_ms AS NextMs
            FROM notification_attempts WHERE outbox_id IN ({string.Join(",", ids)}) ORDER BY outbox_id, attempt
            """,
            cancellationToken: cancellationToken))).ToLookup(a => a.OutboxId);
        return [.. rows.Select(r => new DeliveryView(r.Id, r.EventId, r.Event, r.RuleId, r.Channel, Rules.RuleValidation.MaskTarget(r.Channel, r.Target), r.Status,
            r.Attempts, TenancyDatabase.FromMs(r.CreatedAtMs), r.DeliveredAtMs is { } d ? TenancyDatabase.FromMs(d) : null,
            r.Status == DeliveryStatus.Pending ? TenancyDatabase.FromMs(r.NextAttemptAtMs) : null,
            [.. attempts[r.Id].Select(a => new AttemptRecord(a.Attempt, TenancyDatabase.FromMs(a.AtMs), a.StatusCode, a.Error, a.DurationMs,
                a.NextMs is { } n ? TenancyDatabase.FromMs(n) : null))]))];
    }

    // Settable properties, not positional records: SQLite returns every integer as Int64, PostgreSQL INTEGER as Int32.
    private sealed class ItemRow
    {
        public long Id { get; set; }

        public string OrganizationId { get; set; } = "";

        public string EventId { get; set; } = "";

        public string Event { get; set; } = "";

        public string RuleId { get; set; } = "";

        public string Channel { get; set; } = "";

        public string Target { get; set; } = "";

        public string PayloadJson { get; set; } = "";

        public int Attempts { get; set; }

        public OutboxItem ToItem() => new(Id, OrganizationId, EventId, Event, RuleId, Channel, Target, PayloadJson, Attempts);
    }

    private sealed class DeliveryRow
    {
        public long Id { get; set; }

        public string EventId { get; set; } = "";

        public string Event { get; set; } = "";

        public string RuleId { get; set; } = "";

        public string Channel { get; set; } = "";

        public string Target { get; set; } = "";

        public string Status { get; set; } = "";

        public int Attempts { get; set; }

        public long CreatedAtMs { get; set; }

        public long? DeliveredAtMs { get; set; }

        public long NextAttemptAtMs { get; set; }
    }

    private sealed class AttemptRow
    {
        public long OutboxId { get; set; }

        public int Attempt { get; set; }

        public long AtMs { get; set; }

        public int? StatusCode { get; set; }

        public string? Error { get; set; }

        public long DurationMs { get; set; }

        public long? NextMs { get; set; }
    }
}

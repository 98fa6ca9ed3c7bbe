using Dapper;
using SpotOptimizer.Runtime.Streams;

namespace SpotOptimizer.Tenancy;

/// <summary>
/// Every state change of a tenant, appended to the database and published on the organization's activity
/// stream so live feeds see it without polling.
/// </summary>
public sealed class ActivityLog(TenancyDatabase db, IStreamProvider streams)
{
    public const string StreamNamespace = "activity";

    private const string Columns =
        "id AS Id, organization_id AS OrganizationId, actor AS Actor, action AS Action, resource AS Resource, details AS Details, occurred_at_ms AS OccurredAtMs";

    public static StreamId StreamOf(string organizationId) => new(StreamNamespace, organizationId);

    public async Task<ActivityEvent> RecordAsync(string organizationId, string actor, string action, string resource, string? details, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var recorded = await AppendAsync(connection, null, organizationId, actor, action, resource, details, cancellationToken);
        await PublishAsync(recorded);
        return recorded;
    }

    /// <summary>Appends inside the caller's transaction, so the event commits (or not) with the change it describes; publish after commit.</summary>
    public async Task<ActivityEvent> AppendAsync(
        System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? transaction,
        string organizationId, string actor, string action, string resource, string? details, CancellationToken cancellationToken)
    {
        var nowMs = db.NowMs();
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO activity_events (organization_id, actor, action, resource, details, occurred_at_ms)
            VALUES (@OrganizationId, @Actor, @Action, @Resource, @Details, @NowMs)
            RETURNING id
            """,
            new { OrganizationId = organizationId, Actor = actor, Action = action, Resource = resource, Details = details, NowMs = nowMs },
            transaction, cancellationToken: cancellationToken));
        return new ActivityEvent(id, organizationId, actor, action, resource, details, TenancyDatabase.FromMs(nowMs));
    }

    public Task PublishAsync(ActivityEvent recorded) => streams.GetStream<ActivityEvent>(StreamOf(recorded.OrganizationId)).OnNextAsync(recorded);

    /// <summary>The organization's newest events, newest first.</summary>
    public async Task<IReadOnlyList<ActivityEvent>> ListRecentAsync(string organizationId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM activity_events WHERE organization_id = @OrganizationId ORDER BY id DESC LIMIT @Limit",
            new { OrganizationId = organizationId, Limit = limit }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new ActivityEvent(r.Id, r.OrganizationId, r.Actor, r.Action, r.Resource, r.Details, TenancyDatabase.FromMs(r.OccurredAtMs)))];
    }

    private sealed record Row(long Id, string OrganizationId, string Actor, string Action, string Resource, string? Details, long OccurredAtMs);
}

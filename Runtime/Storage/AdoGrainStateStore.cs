using System.Data.Common;
using Dapper;

namespace SpotOptimizer.Runtime.Storage;

/// <summary>
/// Grain state in a relational database. Every change is one conditional statement whose affected-row count
/// decides success, so concurrent writers cannot both win and a failed write changes nothing.
/// </summary>
internal sealed class AdoGrainStateStore(SqlDialect dialect, TimeProvider time) : IGrainStateStore
{
    public async Task<GrainStateRecord?> ReadAsync(GrainStateKey key, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<StoredState>(
            new CommandDefinition(dialect.ReadState, KeyParameters(key), cancellationToken: cancellationToken));
        return row is null ? null : new GrainStateRecord(row.Json, StateVersion.Format(row.Version));
    }

    public async Task<string> WriteAsync(GrainStateKey key, string json, string? etag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(json);
        await using var connection = await dialect.OpenConnectionAsync(cancellationToken);
        var updatedAtMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (etag is null)
        {
            var version = StateVersion.NewRow();
            var inserted = await ExecuteAsync(connection, dialect.InsertState, new
            {
                key.GrainType, key.GrainKey, key.StateName, Payload = json, UpdatedAtMs = updatedAtMs, Version = version,
            }, cancellationToken);
            if (inserted == 1)
            {
                return StateVersion.Format(version);
            }
        }
        else if (StateVersion.TryParse(etag, out var expected))
        {
            var updated = await ExecuteAsync(connection, dialect.UpdateState, new
            {
                key.GrainType, key.GrainKey, key.StateName, Payload = json, UpdatedAtMs = updatedAtMs, Version = expected,
            }, cancellationToken);
            if (updated == 1)
            {
                // The update matched version = expected and added one, so the new version is known without a read.
                return StateVersion.Format(expected + 1);
            }
        }

        throw await ConflictAsync(connection, "write", key, etag, cancellationToken);
    }

    public async Task ClearAsync(GrainStateKey key, string? etag, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenConnectionAsync(cancellationToken);
        if (etag is null)
        {
            // Nothing to delete when no row exists; a row this caller never saw must not be cleared.
            var stored = await ReadVersionAsync(connection, key, cancellationToken);
            if (stored is null)
            {
                return;
            }

            throw StateVersion.Conflict("clear", key, stored, etag);
        }

        if (StateVersion.TryParse(etag, out var expected))
        {
            var deleted = await ExecuteAsync(connection, dialect.DeleteState, new
            {
                key.GrainType, key.GrainKey, key.StateName, Version = expected,
            }, cancellationToken);
            if (deleted == 1)
            {
                return;
            }
        }

        throw await ConflictAsync(connection, "clear", key, etag, cancellationToken);
    }

    private static Task<int> ExecuteAsync(DbConnection connection, string sql, object parameters, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));

    /// <summary>Reads the current version only to explain the failure; the decision was already made atomically.</summary>
    private async Task<InconsistentStateException> ConflictAsync(
        DbConnection connection, string operation, GrainStateKey key, string? etag, CancellationToken cancellationToken) =>
        StateVersion.Conflict(operation, key, await ReadVersionAsync(connection, key, cancellationToken), etag);

    private Task<long?> ReadVersionAsync(DbConnection connection, GrainStateKey key, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<long?>(
            new CommandDefinition(dialect.ReadStateVersion, KeyParameters(key), cancellationToken: cancellationToken));

    private static object KeyParameters(GrainStateKey key) => new { key.GrainType, key.GrainKey, key.StateName };

    private sealed record StoredState(string Json, long Version);
}

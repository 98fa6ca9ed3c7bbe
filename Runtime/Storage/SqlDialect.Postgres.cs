using System.Data;
using System.Data.Common;
using Dapper;
using Npgsql;

namespace SpotOptimizer.Runtime.Storage;

internal sealed partial class SqlDialect
{
    /// <summary>Advisory lock id that serializes schema migrations across processes ("SPOTSCHM" in ASCII).</summary>
    private const long PostgresSchemaLockId = 0x53504F545343484D;

    /// <summary>PostgreSQL through a data source the caller owns (it pools connections and is disposed with the host).</summary>
    public static SqlDialect ForPostgres(NpgsqlDataSource dataSource) => new()
    {
        Name = "postgres",
        OpenConnectionAsync = async ct => await dataSource.OpenConnectionAsync(ct),
        BeginSchemaTransactionAsync = BeginLockedPostgresTransactionAsync,
        BeginWriteTransactionAsync = async (connection, ct) => await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct),
        ReadState = $"SELECT payload::text AS Json, version AS Version FROM grain_state WHERE {StateKey}",
        InsertState =
            """
            INSERT INTO grain_state (grain_type, grain_key, state_name, version, payload, updated_at_ms)
            VALUES (@GrainType, @GrainKey, @StateName, @Version, CAST(@Payload AS jsonb), @UpdatedAtMs)
            ON CONFLICT DO NOTHING
            """,
        UpdateState =
            $"""
            UPDATE grain_state SET version = version + 1, payload = CAST(@Payload AS jsonb), updated_at_ms = @UpdatedAtMs
            WHERE {StateKey} AND version = @Version
            """,
    };

    private static async Task<DbTransaction> BeginLockedPostgresTransactionAsync(
        DbConnection connection, CancellationToken cancellationToken)
    {
        // READ COMMITTED matters: each later statement takes a fresh snapshot, so after waiting for the lock
        // the migrator sees the version the previous lock holder committed (REPEATABLE READ would not).
        var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        try
        {
            // Released automatically at commit or rollback, so a crashed migrator cannot leave it held.
            await connection.ExecuteAsync(new CommandDefinition(
                "SELECT pg_advisory_xact_lock(@LockId)", new { LockId = PostgresSchemaLockId }, transaction,
                cancellationToken: cancellationToken));
            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
    }
}

using System.Data;
using System.Data.Common;
using Dapper;
using Npgsql;

namespace SpotOptimizer.Storage;

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

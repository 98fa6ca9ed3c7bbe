using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.Logging;

namespace SpotOptimizer.Storage;

/// <summary>
/// Applies the dialect's numbered scripts above the version recorded in <c>schema_version</c>, each in its own
/// transaction together with its version row, so a failed script leaves the schema at the previous version.
/// The dialect's schema transaction serializes migrators, so several silos may start at once.
/// </summary>
internal sealed class SchemaMigrator(SqlDialect dialect, TimeProvider time, ILogger<SchemaMigrator> logger, SchemaModule module)
{
    private readonly SchemaModule _module = module;

    public async Task ApplyAsync(CancellationToken cancellationToken)
    {
        var scripts = SchemaScript.For(_module.Assembly, _module.ResourcePrefix, dialect.Name);
        var versionTable = _module.VersionTable;
        await using var connection = await dialect.OpenConnectionAsync(cancellationToken);
        if (dialect.PrepareSchemaSql is { } prepare)
        {
            await connection.ExecuteAsync(new CommandDefinition(prepare, cancellationToken: cancellationToken));
        }

        long current = 0;
        var applied = 0;
        foreach (var script in scripts)
        {
            await using var transaction = await dialect.BeginSchemaTransactionAsync(connection, cancellationToken);
            // Created under the lock: two sessions racing CREATE TABLE IF NOT EXISTS can still collide on PostgreSQL.
            await connection.ExecuteAsync(new CommandDefinition(
                SqlDialect.CreateSchemaVersionTable(versionTable), transaction: transaction, cancellationToken: cancellationToken));
            current = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                SqlDialect.ReadSchemaVersion(versionTable), transaction: transaction, cancellationToken: cancellationToken));
            if (script.Version <= current)
            {
                continue; // disposing the transaction rolls it back and releases the lock
            }

            var stopwatch = Stopwatch.StartNew();
            await connection.ExecuteAsync(new CommandDefinition(
                script.Sql, transaction: transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(SqlDialect.RecordSchemaVersion(versionTable), new
            {
                script.Version, AppliedAtMs = time.GetUtcNow().ToUnixTimeMilliseconds(),
            }, transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            current = script.Version;
            applied++;
            StorageLog.SchemaScriptApplied(logger, $"{dialect.Name}/{_module.Name}", script.Version, script.Name, stopwatch.ElapsedMilliseconds);
        }

        StorageLog.SchemaUpToDate(logger, $"{dialect.Name}/{_module.Name}", current, applied);
    }
}

/// <summary>A set of numbered scripts with its own version table, so product modules evolve their tables independently.</summary>
internal sealed record SchemaModule(string Name, System.Reflection.Assembly Assembly, string ResourcePrefix, string VersionTable);

using System.Data.Common;
using System.Reflection;

namespace SpotOptimizer.Runtime.Storage;

/// <summary>
/// The relational database the grain runtime stores into (SQLite or PostgreSQL), offered to product modules so
/// their tables live beside grain state and share one connection setup. Not available with in-memory storage.
/// </summary>
public interface IRelationalDatabase
{
    /// <summary>"sqlite" or "postgres": selects the module's per-dialect SQL.</summary>
    string Dialect { get; }

    Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);

    /// <summary>
    /// A transaction that takes the write lock up front (SQLite: BEGIN IMMEDIATE; PostgreSQL: read committed),
    /// so check-then-write sequences inside it cannot interleave with another writer on SQLite.
    /// </summary>
    Task<DbTransaction> BeginWriteTransactionAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>
    /// Applies a module's numbered scripts (<c>{resourcePrefix}{Dialect}.NNN_description.sql</c> embedded in
    /// <paramref name="assembly"/>) above the version recorded in the table <c>{module}_schema_version</c>.
    /// </summary>
    Task ApplySchemaAsync(string module, Assembly assembly, string resourcePrefix, CancellationToken cancellationToken);
}

internal sealed class RelationalDatabase(SqlDialect dialect, TimeProvider time, Microsoft.Extensions.Logging.ILogger<SchemaMigrator> logger)
    : IRelationalDatabase
{
    public string Dialect => dialect.Name;

    public Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) => dialect.OpenConnectionAsync(cancellationToken);

    public Task<DbTransaction> BeginWriteTransactionAsync(DbConnection connection, CancellationToken cancellationToken) =>
        dialect.BeginWriteTransactionAsync(connection, cancellationToken);

    public Task ApplySchemaAsync(string module, Assembly assembly, string resourcePrefix, CancellationToken cancellationToken)
    {
        if (!System.Text.RegularExpressions.Regex.IsMatch(module, "^[a-z][a-z0-9_]*$"))
        {
            throw new ArgumentException("Module names are lower-case identifiers (they name a table).", nameof(module));
        }

        var schema = new SchemaModule(module, assembly, resourcePrefix, $"{module}_schema_version");
        return new SchemaMigrator(dialect, time, logger, schema).ApplyAsync(cancellationToken);
    }
}

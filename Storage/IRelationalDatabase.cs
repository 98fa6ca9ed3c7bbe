using System.Data.Common;
using System.Reflection;

namespace SpotOptimizer.Storage;

/// <summary>
/// The deployment's one relational database (SQLite or PostgreSQL): grain state, reminders, membership and the
/// product's tables all live in it, each module with its own versioned scripts.
/// </summary>
public interface IRelationalDatabase
{
    /// <summary>"sqlite" or "postgres": selects the module's per-dialect SQL.</summary>
    string Dialect { get; }

    /// <summary>For providers that open their own connections (Orleans's ADO.NET providers); may contain a password: never log it.</summary>
    string ConnectionString { get; }

    Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);

    /// <summary>
    /// A transaction that takes the write lock up front (SQLite: BEGIN IMMEDIATE; PostgreSQL: read committed),
    /// so check-then-write sequences inside it cannot interleave with another writer on SQLite.
    /// </summary>
    Task<DbTransaction> BeginWriteTransactionAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>
    /// Applies a module's numbered scripts (<c>{resourcePrefix}{Dialect}.NNN_description.sql</c> embedded in
    /// <paramref name="assembly"/>) above the version recorded in the table <c>{module}_schema_version</c>.
    /// Safe when several processes start at once: the dialect serializes migrators.
    /// </summary>
    Task ApplySchemaAsync(string module, Assembly assembly, string resourcePrefix, CancellationToken cancellationToken);
}

internal sealed class RelationalDatabase(SqlDialect dialect, string connectionString, TimeProvider time, Microsoft.Extensions.Logging.ILogger<SchemaMigrator> logger)
    : IRelationalDatabase
{
    public string Dialect => dialect.Name;

    public string ConnectionString => connectionString;

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

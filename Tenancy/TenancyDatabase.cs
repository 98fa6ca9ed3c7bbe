using System.Data.Common;
using SpotOptimizer.Storage;

namespace SpotOptimizer.Tenancy;

/// <summary>The tenancy tables' access to the shared database, and the one place that knows driver error codes.</summary>
public sealed class TenancyDatabase(IRelationalDatabase database, TimeProvider time)
{
    public IRelationalDatabase Database => database;

    public TimeProvider Time => time;

    public Task ApplySchemaAsync(CancellationToken cancellationToken) =>
        database.ApplySchemaAsync("tenancy", typeof(TenancyDatabase).Assembly, "SpotOptimizer.Tenancy.Schema.", cancellationToken);

    public Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => database.OpenConnectionAsync(cancellationToken);

    public long NowMs() => time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>SQLite's constraint violation (19) and PostgreSQL's unique_violation (23505).</summary>
    public static bool IsUniqueViolation(DbException exception) =>
        exception is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 19 } or Npgsql.PostgresException { SqlState: "23505" };

    public static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}

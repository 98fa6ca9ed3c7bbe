using Microsoft.Data.Sqlite;

namespace SpotOptimizer.Runtime.Tests.Durable;

public sealed class SqliteDurableRuntimeTests : DurableRuntimeTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"spotopt-runtime-{Guid.NewGuid():N}");

    protected override Task<Action<GrainRuntimeBuilder>> CreateDatabaseAsync()
    {
        var file = Path.Combine(_directory, "silo.db");
        var connectionString = new SqliteConnectionStringBuilder { DataSource = file }.ConnectionString;
        return Task.FromResult<Action<GrainRuntimeBuilder>>(r => r.UseSqliteStorage(connectionString));
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }
}

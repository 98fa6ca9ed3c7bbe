using Microsoft.Data.Sqlite;
using SpotOptimizer.Silo.Storage;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Grains.Tests;

/// <summary>A fresh database of one kind for a test class: a temp SQLite file or a new PostgreSQL database.</summary>
public abstract class StorageKind : IAsyncDisposable
{
    public abstract Task<SiloStorage> CreateAsync();

    public abstract ValueTask DisposeAsync();

    public sealed class Sqlite : StorageKind
    {
        private readonly string _directory = Path.Combine(Path.GetTempPath(), $"spotopt-grains-{Guid.NewGuid():N}");

        public override Task<SiloStorage> CreateAsync() =>
            Task.FromResult(SiloStorage.Sqlite(Path.Combine(_directory, Guid.NewGuid().ToString("N"))));

        public override ValueTask DisposeAsync()
        {
            SqliteConnection.ClearAllPools();
            if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
            return ValueTask.CompletedTask;
        }
    }

    public sealed class Postgres : StorageKind
    {
        private readonly List<string> _databases = [];
        private PostgresServer? _server;

        public override async Task<SiloStorage> CreateAsync()
        {
            _server = await PostgresServer.RequireAsync();
            var database = await _server.CreateDatabaseAsync();
            _databases.Add(database);
            return SiloStorage.Postgres(database);
        }

        public override async ValueTask DisposeAsync()
        {
            foreach (var database in _databases) await _server!.DropDatabaseAsync(database);
        }
    }
}

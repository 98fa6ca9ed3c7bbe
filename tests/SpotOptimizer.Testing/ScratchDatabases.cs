using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SpotOptimizer.Storage;

namespace SpotOptimizer.Testing;

/// <summary>
/// Databases a test opens outside any host: each registration gets its own service provider (as a separate process
/// would), and a temp folder holds the SQLite files; all of it goes when the test class is disposed.
/// </summary>
public sealed class ScratchDatabases : IAsyncDisposable
{
    private readonly List<ServiceProvider> _providers = [];

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), $"spotopt-scratch-{Guid.NewGuid():N}");

    public IRelationalDatabase Open(Action<IServiceCollection> register)
    {
        var services = new ServiceCollection().AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        register(services);
        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        return provider.GetRequiredService<IRelationalDatabase>();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in _providers) await provider.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (System.IO.Directory.Exists(Directory)) System.IO.Directory.Delete(Directory, recursive: true);
    }
}

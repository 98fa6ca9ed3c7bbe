using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using SpotOptimizer.Runtime.Storage;

namespace SpotOptimizer.Runtime;

/// <summary>Chooses the grain assemblies, the storage provider and the options of a grain runtime.</summary>
public sealed class GrainRuntimeBuilder
{
    private readonly List<Assembly> _assemblies = [];

    internal GrainRuntimeBuilder(IServiceCollection services) => Services = services;

    public IServiceCollection Services { get; }

    internal IReadOnlyList<Assembly> Assemblies => _assemblies;

    internal string? StorageProvider { get; private set; }

    /// <summary>Registers every grain class in the assemblies.</summary>
    public GrainRuntimeBuilder AddGrains(params Assembly[] assemblies)
    {
        _assemblies.AddRange(assemblies);
        return this;
    }

    /// <summary>SQLite file storage: the embedded default.</summary>
    public GrainRuntimeBuilder UseSqliteStorage(string connectionString) =>
        UseStorage("sqlite", () => StorageRegistration.AddSqliteStorage(Services, connectionString));

    public GrainRuntimeBuilder UsePostgresStorage(string connectionString) =>
        UseStorage("postgres", () => StorageRegistration.AddPostgresStorage(Services, connectionString));

    /// <summary>Volatile storage for unit tests: everything is lost with the process.</summary>
    public GrainRuntimeBuilder UseInMemoryStorage() => UseStorage("memory", () => StorageRegistration.AddInMemoryStorage(Services));

    public GrainRuntimeBuilder Configure(Action<GrainRuntimeOptions> configure)
    {
        Services.Configure(configure);
        return this;
    }

    private GrainRuntimeBuilder UseStorage(string name, Action register)
    {
        if (StorageProvider is not null) throw new InvalidOperationException($"Storage is already '{StorageProvider}'; choose one provider.");
        StorageProvider = name;
        register();
        return this;
    }
}

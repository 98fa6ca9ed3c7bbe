using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SpotOptimizer.Runtime.Activation;
using SpotOptimizer.Runtime.Streams;

namespace SpotOptimizer.Runtime;

public static class GrainRuntimeServiceCollectionExtensions
{
    /// <summary>Adds a silo-local grain runtime to any .NET host; it starts and stops with the host.</summary>
    public static IServiceCollection AddGrainRuntime(this IServiceCollection services, Action<GrainRuntimeBuilder> configure)
    {
        var builder = new GrainRuntimeBuilder(services);
        configure(builder);
        if (builder.StorageProvider is null)
        {
            throw new InvalidOperationException("Choose a grain storage provider: UseSqliteStorage, UsePostgresStorage or UseInMemoryStorage.");
        }

        services.AddOptions<GrainRuntimeOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(new GrainTypeRegistry(builder.Assemblies));
        services.AddSingleton<GrainRuntime>();
        services.AddSingleton<IGrainFactory>(sp => sp.GetRequiredService<GrainRuntime>());
        services.AddSingleton<IGrainRuntimeStatistics>(sp => sp.GetRequiredService<GrainRuntime>());
        services.AddSingleton<InProcessStreamProvider>();
        services.AddSingleton<IStreamProvider>(sp => sp.GetRequiredService<InProcessStreamProvider>());
        services.AddHostedService<GrainRuntimeHost>();
        return services;
    }
}

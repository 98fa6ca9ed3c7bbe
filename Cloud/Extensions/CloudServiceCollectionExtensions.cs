using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using SpotOptimizer.Cloud.Aws;
using SpotOptimizer.Cloud.Simulation;

namespace SpotOptimizer.Cloud;

/// <summary>The composition root of the cloud boundary: exactly one <see cref="ICloudProvider"/> per host.</summary>
public static class CloudServiceCollectionExtensions
{
    /// <summary>
    /// The embedded default's cloud: <see cref="SimulatedWorld.Demo"/> for <paramref name="seed"/>, anchored at the
    /// host's clock, registered as both <see cref="SimulatedCloud"/> (to deploy stacks, inject faults, read calls)
    /// and <see cref="ICloudProvider"/>.
    /// </summary>
    public static IServiceCollection AddSimulatedCloud(this IServiceCollection services, int seed, Action<SimulatedCloudOptions>? configure = null) =>
        services.AddSimulatedCloud(seed, configure, (_, initial) => new InMemorySimulatedWorldStore(initial));

    /// <summary>
    /// The embedded default's cloud with its world kept in the store <paramref name="store"/> builds (e.g. an
    /// <see cref="AdoSimulatedWorldStore"/> on the deployment's database, so every silo shares one world that outlives
    /// restarts). It is given the world to start from: <see cref="SimulatedWorld.Demo"/> for <paramref name="seed"/>
    /// at the host's clock, stored only when the store holds none yet.
    /// </summary>
    public static IServiceCollection AddSimulatedCloud(this IServiceCollection services, int seed, Action<SimulatedCloudOptions>? configure,
        Func<IServiceProvider, SimulatedWorld, ISimulatedWorldStore> store) =>
        services.AddSimulatedCloud(sp => SimulatedWorld.Demo(seed, sp.GetRequiredService<TimeProvider>().GetUtcNow()), configure, store);

    /// <summary>A simulated cloud over a given world, in this process only.</summary>
    public static IServiceCollection AddSimulatedCloud(this IServiceCollection services, SimulatedWorld world, Action<SimulatedCloudOptions>? configure = null) =>
        services.AddSimulatedCloud(_ => world, configure, (_, initial) => new InMemorySimulatedWorldStore(initial));

    /// <summary>Production: the customers' AWS accounts, reached with our own credentials (<see cref="AwsCloudOptions.Credentials"/>).</summary>
    public static IServiceCollection AddAwsCloud(this IServiceCollection services, Action<AwsCloudOptions>? configure = null)
    {
        var options = new AwsCloudOptions();
        configure?.Invoke(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new AwsCloud(options, sp.GetRequiredService<TimeProvider>(), sp.GetService<ILogger<AwsCloud>>(),
            meterFactory: sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddSingleton<ICloudProvider>(sp => sp.GetRequiredService<AwsCloud>());
        return services;
    }

    private static IServiceCollection AddSimulatedCloud(this IServiceCollection services, Func<IServiceProvider, SimulatedWorld> world,
        Action<SimulatedCloudOptions>? configure, Func<IServiceProvider, SimulatedWorld, ISimulatedWorldStore> store)
    {
        var options = new SimulatedCloudOptions();
        configure?.Invoke(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new SimulatedCloud(store(sp, world(sp)), sp.GetRequiredService<TimeProvider>(), options));
        services.AddSingleton<ICloudProvider>(sp => sp.GetRequiredService<SimulatedCloud>());
        return services;
    }
}

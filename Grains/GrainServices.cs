using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SpotOptimizer.Grains.Execution;
using SpotOptimizer.Grains.Lab;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using SpotOptimizer.Cloud.Aws;
using SpotOptimizer.Grains.Market;
using SpotOptimizer.Grains.Market.Aws;
using SpotOptimizer.ModelServing;

namespace SpotOptimizer.Grains;

public static class GrainServices
{
    /// <summary>What the product's grains need besides tenancy and a cloud: loop counters, sessions, the executor, the Lab's live switch and served model, options.</summary>
    public static IServiceCollection AddGrainServices(this IServiceCollection services)
    {
        services.TryAddSingleton<LoopFailures>();
        services.TryAddSingleton<CloudSessions>();
        services.TryAddSingleton<AgentDrains>();
        services.TryAddSingleton<AgentJoins>();
        services.TryAddSingleton<CloudExecutor>();
        services.TryAddSingleton<LiveSwitch>();
        services.TryAddSingleton<SafeMode>();
        services.TryAddSingleton<PlacementScoreReader>();
        services.TryAddSingleton<ModelCatalog>();
        services.TryAddSingleton<ProductionModel>();
        services.TryAddSingleton<IServedModelStatus>(sp => sp.GetRequiredService<ProductionModel>());
        services.AddOptions<ModelServingOptions>();
        services.AddOptions<SafetyOptions>();
        services.AddOptions<MarketOptions>();
        services.AddOptions<ExecutorOptions>();
        services.AddOptions<AgentChannelOptions>();
        services.AddOptions<Optimization.OptimizerOptions>();
        services.AddOptions<Interfaces.Lab.LabOptions>();
        return services;
    }

    /// <summary>The market feed of the embedded default: the simulated cloud's market.</summary>
    public static IServiceCollection AddSimulatedMarketFeed(this IServiceCollection services)
    {
        services.TryAddSingleton<IMarketFeed, SimulatedMarketFeed>();
        return services;
    }

    /// <summary>
    /// The AWS provider's market feed: AWS's public sources (<see cref="AwsMarketOptions"/>, bound by the host), Spot
    /// prices called with our own identity and endpoints (<paramref name="aws"/>, as the cloud provider has them).
    /// </summary>
    public static IServiceCollection AddAwsMarketFeed(this IServiceCollection services, AwsCloudOptions aws)
    {
        services.AddOptions<AwsMarketOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new AwsMarketFeed(sp.GetRequiredService<IOptions<AwsMarketOptions>>().Value, aws, sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<AwsMarketFeed>>(), sp.GetService<IGrainFactory>(),
            sp.GetService<IMeterFactory>()));
        services.TryAddSingleton<IMarketFeed>(sp => sp.GetRequiredService<AwsMarketFeed>());
        return services;
    }
}

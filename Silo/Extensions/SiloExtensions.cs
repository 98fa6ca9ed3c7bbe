using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SpotOptimizer.Grains.Platform;
using SpotOptimizer.Runtime;
using SpotOptimizer.Silo.Platform;
using SpotOptimizer.Silo.Storage;
using SpotOptimizer.Grains;
using SpotOptimizer.Grains.Accounts;
using SpotOptimizer.Grains.Execution;
using SpotOptimizer.Grains.Market;
using SpotOptimizer.Grains.Optimization;
using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Silo;

public static class SiloExtensions
{
    /// <summary>
    /// Adds the grain runtime with the storage named by configuration (see <see cref="SiloStorage"/>) and every
    /// grain of the product. Bad configuration throws here, before the host is built.
    /// </summary>
    public static IHostApplicationBuilder AddSpotOptimizerSilo(this IHostApplicationBuilder builder)
    {
        var storage = SiloStorage.FromConfiguration(builder.Configuration);
        builder.Services.AddSingleton(storage);
        builder.Services.AddTenancy();
        builder.Services.AddOptions<AccountDiscoveryOptions>().Bind(builder.Configuration.GetSection("Discovery"));
        builder.Services.AddGrainServices();
        builder.Services.AddOptions<SafetyOptions>().Bind(builder.Configuration.GetSection("Safety"));
        builder.Services.AddOptions<MarketOptions>().Bind(builder.Configuration.GetSection("Market"));
        builder.Services.AddOptions<ExecutorOptions>().Bind(builder.Configuration.GetSection("Executor"));
        builder.Services.AddOptions<OptimizerOptions>().Bind(builder.Configuration.GetSection("Optimizer"));
        builder.AddCloud();
        builder.Services.AddGrainRuntime(runtime =>
        {
            storage.Apply(runtime);
            runtime.AddGrains(typeof(PlatformGrain).Assembly);
        });
        // Registered after the runtime, so it starts once the schema is applied and reminders run.
        builder.Services.AddHostedService<PlatformStartRecorder>();
        builder.Services.AddHostedService<MarketFeedStarter>();
        return builder;
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Hosting;
using SpotOptimizer.Grains;
using SpotOptimizer.Grains.Accounts;
using SpotOptimizer.Grains.Execution;
using SpotOptimizer.Grains.Interfaces.Lab;
using SpotOptimizer.Grains.Market;
using SpotOptimizer.Grains.Optimization;
using SpotOptimizer.Notifications;
using SpotOptimizer.Silo.Feeds;
using SpotOptimizer.Silo.Platform;
using SpotOptimizer.Silo.Storage;
using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Silo;

public static class SiloExtensions
{
    /// <summary><c>Orleans:Role</c>: silo (default: this process hosts grains) or client (it reaches them through a gateway).</summary>
    public const string RoleKey = "Orleans:Role";

    /// <summary>Joins the cluster as <c>Orleans:Role</c> says. Bad configuration throws here, before the host is built.</summary>
    public static IHostApplicationBuilder AddSpotOptimizerCluster(this IHostApplicationBuilder builder) =>
        (builder.Configuration[RoleKey]?.Trim().ToLowerInvariant() ?? "silo") switch
        {
            "silo" or "" => builder.AddSpotOptimizerSilo(),
            "client" => builder.AddSpotOptimizerClient(),
            var role => throw new InvalidOperationException($"{RoleKey} is '{role}'; use silo (the default) or client."),
        };

    /// <summary>
    /// A silo with the storage named by configuration (see <see cref="SiloStorage"/>) and every grain of the product.
    /// The schemas are applied before the silo starts, so membership, state and the product's tables exist when grains run.
    /// </summary>
    public static IHostApplicationBuilder AddSpotOptimizerSilo(this IHostApplicationBuilder builder)
    {
        var storage = AddShared(builder);
        builder.Services.AddOptions<AccountDiscoveryOptions>().Bind(builder.Configuration.GetSection("Discovery"));
        builder.Services.AddGrainServices();
        builder.Services.AddOptions<SafetyOptions>().Bind(builder.Configuration.GetSection("Safety"));
        builder.Services.AddOptions<MarketOptions>().Bind(builder.Configuration.GetSection("Market"));
        builder.Services.AddOptions<ExecutorOptions>().Bind(builder.Configuration.GetSection("Executor"));
        builder.Services.AddOptions<AgentChannelOptions>().Bind(builder.Configuration.GetSection(AgentChannelOptions.Section));
        builder.Services.AddOptions<OptimizerOptions>().Bind(builder.Configuration.GetSection("Optimizer"));
        builder.Services.AddOptions<LabOptions>().Bind(builder.Configuration.GetSection("Lab"));
        builder.Services.AddOptions<SpotOptimizer.Grains.Lab.ModelServingOptions>().Bind(builder.Configuration.GetSection(SpotOptimizer.Grains.Lab.ModelServingOptions.Section));
        builder.Services.AddHostedService<OrleansSchema>();
        builder.UseOrleans(silo => OrleansSetup.ConfigureSilo(silo, builder.Configuration, storage));
        // Registered after the silo, so they start once it runs.
        builder.Services.AddHostedService<PlatformStartRecorder>();
        builder.Services.AddHostedService<MarketFeedStarter>();
        builder.Services.AddHostedService<SpotOptimizer.Grains.Platform.SafeModeWatcher>();
        builder.Services.AddHostedService<SpotOptimizer.Grains.Lab.ProductionModelWatcher>();
        return builder;
    }

    /// <summary>An Orleans client: the grains run in silos elsewhere (the split deployment), reached through their gateways.</summary>
    public static IHostApplicationBuilder AddSpotOptimizerClient(this IHostApplicationBuilder builder)
    {
        var storage = AddShared(builder);
        builder.UseOrleansClient(client => OrleansSetup.ConfigureClient(client, builder.Configuration, storage));
        return builder;
    }

    /// <summary>What silos and clients both hold: the database, the tenancy tables, the cloud and the ledger's feed.</summary>
    private static SiloStorage AddShared(IHostApplicationBuilder builder)
    {
        var storage = SiloStorage.FromConfiguration(builder.Configuration);
        builder.Services.AddSingleton(storage);
        storage.AddDatabase(builder.Services);
        builder.Services.AddTenancy().AddLedgerFeed();
        builder.Services.AddNotifications(builder.Configuration);
        builder.AddCloud();
        return storage;
    }

    /// <summary>The ledger's runtime side: entries announced on the live feeds, the impersonator read from Orleans's request context.</summary>
    public static IServiceCollection AddLedgerFeed(this IServiceCollection services) =>
        services.AddSingleton<IActivityPublisher, GrainActivityPublisher>().AddSingleton<ICallerContext, OrleansCallerContext>();
}

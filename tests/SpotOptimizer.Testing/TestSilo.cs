using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans;
using Orleans.Configuration;
using Orleans.Reminders;
using Orleans.Runtime;
using Orleans.TestingHost;
using SpotOptimizer.Silo;
using SpotOptimizer.Silo.Storage;
using SpotOptimizer.Storage;
using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Testing;

/// <summary>
/// An Orleans <see cref="InProcessTestCluster"/> of one or more silos on a real database (SQLite or PostgreSQL), with
/// the product's storage providers, the ledger's live feed, and services of the test's choosing (shared instances
/// such as a simulated cloud or a manual clock are the same object on every silo).
/// </summary>
public sealed class TestSilo : IAsyncDisposable
{
    /// <summary>Fixed, so a second cluster over the same database (a restart) reads what the first one stored.</summary>
    public const string ServiceId = "spotoptimizer-tests";

    private readonly InProcessTestCluster _cluster;
    private bool _stopped;

    private TestSilo(InProcessTestCluster cluster)
    {
        _cluster = cluster;
        Services = cluster.Silos[0].ServiceProvider;
    }

    /// <summary>The first silo's services (still readable after a stop, as a test inspecting what a stopped silo left).</summary>
    public IServiceProvider Services { get; }

    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    public InProcessTestCluster Cluster => _cluster;

    /// <param name="time">The product's clock (grains, tenancy). Orleans keeps the system clock for its own timers, membership and messaging.</param>
    public static async Task<TestSilo> StartAsync(
        SiloStorage storage, TimeProvider? time = null, Action<IServiceCollection>? services = null, short silos = 1)
    {
        await ApplySchemasAsync(storage);
        var builder = new InProcessTestClusterBuilder(silos);
        builder.Options.ServiceId = ServiceId;
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Logging.SetMinimumLevel(LogLevel.Warning);
            if (time is not null) UseProductClock(host.Services, time);
            storage.AddDatabase(host.Services);
            host.Services.AddTenancy().AddLedgerFeed();
            services?.Invoke(host.Services);
        });
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddSpotOptimizerStorage(storage);
            // Slow CI machines must not turn a long test step into a timeout; deactivation stays quick for restarts.
            silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromMinutes(5));
            silo.Configure<GrainCollectionOptions>(o => o.DeactivationTimeout = TimeSpan.FromSeconds(5));
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new TestSilo(cluster);
    }

    /// <summary>Graceful stop: grains deactivate (and flush state) as in production.</summary>
    public async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        await _cluster.StopAllSilosAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _cluster.DisposeAsync();
    }

    /// <summary>Each silo would apply them as it starts; applying them first keeps silos from racing a test's first call.</summary>
    private static async Task ApplySchemasAsync(SiloStorage storage)
    {
        var services = new ServiceCollection().AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        storage.AddDatabase(services);
        await using var provider = services.BuildServiceProvider();
        var database = provider.GetRequiredService<IRelationalDatabase>();
        await OrleansSchema.ApplyAsync(database, CancellationToken.None);
        await new TenancyDatabase(database, TimeProvider.System).ApplySchemaAsync(CancellationToken.None);
    }

    /// <summary>
    /// Orleans resolves its per-area clocks from keyed services that fall back to <see cref="TimeProvider"/>: a frozen
    /// test clock there would stop its timers, reminders and membership. Only the product sees the test's clock; a test
    /// drives a loop by delivering its reminder ticks itself (<see cref="ReminderTicks"/>).
    /// </summary>
    private static void UseProductClock(IServiceCollection services, TimeProvider time)
    {
        services.Replace(ServiceDescriptor.Singleton(time));
        foreach (var area in new[]
                 {
                     TimeProviderNames.Grains, TimeProviderNames.Messaging, TimeProviderNames.SystemTimers, TimeProviderNames.Membership,
                     TimeProviderNames.ActivationManagement, TimeProviderNames.GrainDirectory, ReminderTimeProviderNames.Reminders,
                 })
        {
            services.AddKeyedSingleton(area, TimeProvider.System);
        }
    }
}

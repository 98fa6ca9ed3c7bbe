using Microsoft.Extensions.DependencyInjection;
using SpotOptimizer.Cloud;
using SpotOptimizer.Silo.Storage;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Grains.Tests.Market;

/// <summary>A test silo with the product's grain services, the simulated cloud and its market feed, on a manual clock.</summary>
public static class MarketSilo
{
    public static Task<TestSilo> StartAsync(SiloStorage database, ManualTimeProvider clock, Action<IServiceCollection>? more = null) =>
        TestSilo.StartAsync(database, clock, services =>
        {
            services.AddSimulatedCloud(7, o => o.BootTime = TimeSpan.Zero).AddGrainServices().AddSimulatedMarketFeed();
            more?.Invoke(services);
        });
}

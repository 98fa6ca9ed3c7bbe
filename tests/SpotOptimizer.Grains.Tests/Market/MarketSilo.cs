using Microsoft.Extensions.DependencyInjection;
using SpotOptimizer.Cloud;
using SpotOptimizer.Grains.Market;
using SpotOptimizer.Runtime;
using SpotOptimizer.Tenancy;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Grains.Tests.Market;

/// <summary>A test silo with the product's grain services, the simulated cloud and its market feed, on a manual clock.</summary>
public static class MarketSilo
{
    public static Task<TestSilo> StartAsync(Action<GrainRuntimeBuilder> database, ManualTimeProvider clock, Action<IServiceCollection>? more = null) =>
        TestSilo.StartAsync(database, typeof(MarketGrain).Assembly,
            options => options.CallTimeout = TimeSpan.FromMinutes(5),
            clock,
            services =>
            {
                services.AddTenancy().AddSimulatedCloud(7, o => o.BootTime = TimeSpan.Zero).AddGrainServices().AddSimulatedMarketFeed();
                more?.Invoke(services);
            });
}

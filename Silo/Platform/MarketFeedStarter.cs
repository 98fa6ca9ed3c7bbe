using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SpotOptimizer.Grains.Interfaces.Market;
using SpotOptimizer.Grains.Market;
using Orleans;

namespace SpotOptimizer.Silo.Platform;

/// <summary>Starts each configured region's market grain (its refresh reminders and first load) when the silo starts.</summary>
internal sealed class MarketFeedStarter(IGrainFactory grains, IOptions<MarketOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(options.Value.Regions.Select(region => grains.GetGrain<IMarketGrain>(region).Start().WaitAsync(cancellationToken)));

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

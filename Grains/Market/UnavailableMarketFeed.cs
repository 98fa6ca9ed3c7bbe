using SpotOptimizer.Cloud;

namespace SpotOptimizer.Grains.Market;

/// <summary>
/// A feed with no source (benchmarks that start no market): every refresh fails with
/// <see cref="CloudErrorCodes.NotImplemented"/>, so a market reports itself unavailable instead of inventing prices.
/// </summary>
public sealed class UnavailableMarketFeed : IMarketFeed
{
    public Task<IReadOnlyList<SpotPrice>> GetSpotPricesAsync(string region, CancellationToken cancellationToken) =>
        Task.FromException<IReadOnlyList<SpotPrice>>(new CloudException(CloudErrorCodes.NotImplemented, "No Spot price feed is configured."));

    public Task<MarketReference> GetReferenceAsync(string region, CancellationToken cancellationToken) =>
        Task.FromException<MarketReference>(new CloudException(CloudErrorCodes.NotImplemented, "No Spot Advisor feed is configured."));
}

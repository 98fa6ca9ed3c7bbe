namespace SpotOptimizer.Cloud.Simulation;

/// <summary>
/// Where the simulated Spot market gets its prices: the built-in <see cref="SpotPriceModel"/> or a
/// <see cref="ReplayedSpotPrices"/> file. Answers must depend only on their arguments, so the market stays deterministic.
/// </summary>
internal interface ISpotPriceSource
{
    /// <summary>The price in force at <paramref name="time"/>; null when the pool has no Spot offer.</summary>
    SpotPrice? At(string zone, string instanceType, DateTimeOffset time);

    /// <summary>The price in force at <paramref name="start"/>, then every change before <paramref name="end"/>; empty when the pool has no offer.</summary>
    IEnumerable<SpotPrice> Between(string zone, string instanceType, DateTimeOffset start, DateTimeOffset end);
}

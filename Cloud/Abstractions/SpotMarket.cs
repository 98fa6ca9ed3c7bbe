namespace SpotOptimizer.Cloud;

/// <summary>Spot prices per pool, for the optimizer. Served by the simulator and by AWS (EC2 DescribeSpotPriceHistory).</summary>
public interface ISpotMarket
{
    /// <summary>Price changes of the given types in [Start, End) (EC2 DescribeSpotPriceHistory, Linux/UNIX).</summary>
    Task<IReadOnlyList<SpotPrice>> GetPriceHistoryAsync(CloudSession session, string region, SpotPriceQuery query, CancellationToken cancellationToken = default);

    /// <summary>The price in force now for every (AZ, type) pool of the given types.</summary>
    Task<IReadOnlyList<SpotPrice>> GetCurrentPricesAsync(CloudSession session, string region, IReadOnlyList<string> instanceTypes, CancellationToken cancellationToken = default);
}

/// <summary>A Spot capacity pool: where interruptions and risk flags are tracked.</summary>
public sealed record SpotPool(string AvailabilityZone, string InstanceType);

public sealed record SpotPrice(string AvailabilityZone, string InstanceType, decimal PricePerHour, DateTimeOffset Timestamp)
{
    public SpotPool Pool => new(AvailabilityZone, InstanceType);
}

public sealed record SpotPriceQuery(IReadOnlyList<string> InstanceTypes, DateTimeOffset Start, DateTimeOffset End, IReadOnlyList<string>? AvailabilityZones = null);

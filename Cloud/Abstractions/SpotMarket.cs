namespace SpotOptimizer.Cloud;

/// <summary>
/// AWS's Spot placement scores for the optimizer, read with the customer's role (EC2 GetSpotPlacementScores): a read,
/// nothing here acts on the account. Spot prices are the public market's, read with the platform's own identity (the
/// market feed), never with a customer's role.
/// </summary>
public interface ISpotMarket
{
    /// <summary>
    /// EC2 GetSpotPlacementScores with <c>SingleAvailabilityZone=true</c>: for one set of instance types and a target
    /// capacity (in instances), how likely a Spot request of that shape succeeds in each zone of the region now, 1–10,
    /// per zone ID (the same physical zone for every account). The score is the set's, not any one type's; zones AWS
    /// does not score are absent.
    /// </summary>
    Task<IReadOnlyList<SpotPlacementScore>> GetPlacementScoresAsync(CloudSession session, string region, PlacementScoreQuery query,
        CancellationToken cancellationToken = default);
}

/// <summary>A Spot capacity pool: where interruptions and risk flags are tracked.</summary>
public sealed record SpotPool(string AvailabilityZone, string InstanceType);

public sealed record SpotPrice(string AvailabilityZone, string InstanceType, decimal PricePerHour, DateTimeOffset Timestamp)
{
    public SpotPool Pool => new(AvailabilityZone, InstanceType);
}

public sealed record SpotPriceQuery(IReadOnlyList<string> InstanceTypes, DateTimeOffset Start, DateTimeOffset End, IReadOnlyList<string>? AvailabilityZones = null);

/// <summary>One configuration of a Spot placement score request: a set of types and a target capacity in instances.</summary>
public sealed record PlacementScoreQuery(IReadOnlyList<string> InstanceTypes, int TargetCapacity)
{
    /// <summary>AWS scores a set of fewer distinct types as always low: such a query tells nothing and is not asked.</summary>
    public const int MinInstanceTypes = 3;

    /// <summary>GetSpotPlacementScores' InstanceType.N limit.</summary>
    public const int MaxInstanceTypes = 1000;

    /// <summary>Refuses what AWS would refuse, with the same words on every provider.</summary>
    public void Validate()
    {
        if (InstanceTypes.Count == 0 || InstanceTypes.Count > MaxInstanceTypes)
            throw new CloudException(CloudErrorCodes.InvalidRequest, $"A placement score request names 1 to {MaxInstanceTypes} instance types, not {InstanceTypes.Count}.");
        if (TargetCapacity < 1) throw new CloudException(CloudErrorCodes.InvalidRequest, $"The target capacity must be at least 1, not {TargetCapacity}.");
    }
}

/// <param name="AvailabilityZoneId">The zone's ID (use1-az1), not a name: names differ per account.</param>
/// <param name="Score">1 (unlikely to succeed) to 10 (highly likely).</param>
public sealed record SpotPlacementScore(string AvailabilityZoneId, int Score);

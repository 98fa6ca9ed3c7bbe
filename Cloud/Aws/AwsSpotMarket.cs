using Amazon.EC2.Model;

namespace SpotOptimizer.Cloud.Aws;

/// <summary>
/// Spot prices from EC2 DescribeSpotPriceHistory, Linux/UNIX only (what EKS nodes run); Spot placement scores from
/// EC2 GetSpotPlacementScores.
/// </summary>
internal sealed class AwsSpotMarket(AwsEc2 ec2, TimeProvider time) : ISpotMarket
{
    // EC2's largest page: a week of history for a dozen types spans several pages already.
    private const int PageSize = 1000;

    /// <summary>
    /// Every price change in [Start, End), plus the change in force at Start (AWS returns it, as the simulator does),
    /// newest first as the simulator orders them.
    /// </summary>
    public async Task<IReadOnlyList<SpotPrice>> GetPriceHistoryAsync(CloudSession session, string region, SpotPriceQuery query, CancellationToken cancellationToken = default)
    {
        if (query.End <= query.Start) throw new CloudException(CloudErrorCodes.InvalidRequest, "The end time must be after the start time.");
        var prices = await QueryAsync(session, region, query.InstanceTypes, query.Start, query.End, query.AvailabilityZones, cancellationToken);
        return prices.OrderByDescending(p => p.Timestamp).ThenBy(p => p.AvailabilityZone, StringComparer.Ordinal).ThenBy(p => p.InstanceType, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// StartTime = EndTime = now: AWS answers each pool's price in force at that instant, but a pool may show more
    /// than one item (a change at the boundary), so only the newest per pool is kept.
    /// </summary>
    public async Task<IReadOnlyList<SpotPrice>> GetCurrentPricesAsync(CloudSession session, string region, IReadOnlyList<string> instanceTypes, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var prices = await QueryAsync(session, region, instanceTypes, now, now, null, cancellationToken);
        return prices.GroupBy(p => p.Pool)
            .Select(pool => pool.MaxBy(p => p.Timestamp)!)
            .OrderBy(p => p.AvailabilityZone, StringComparer.Ordinal).ThenBy(p => p.InstanceType, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// One configuration, per zone (<c>SingleAvailabilityZone=true</c>), capacity counted in instances. Types are sent
    /// sorted so that the same set is the same configuration however the caller ordered it: AWS may cap the new
    /// configurations an account asks within 24 h, while repeating one already asked stays allowed.
    /// </summary>
    public Task<IReadOnlyList<SpotPlacementScore>> GetPlacementScoresAsync(CloudSession session, string region, PlacementScoreQuery query,
        CancellationToken cancellationToken = default)
    {
        query.Validate();
        var request = new GetSpotPlacementScoresRequest
        {
            InstanceTypes = [.. query.InstanceTypes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            TargetCapacity = query.TargetCapacity,
            TargetCapacityUnitType = Amazon.EC2.TargetCapacityUnitType.Units,
            SingleAvailabilityZone = true,
            RegionNames = [region],
            MaxResults = PlacementPageSize,
        };
        return ec2.Api.ListAsync(session, region, CloudActions.GetSpotPlacementScores,
            (client, token, t) =>
            {
                request.NextToken = token;
                return client.GetSpotPlacementScoresAsync(request, t);
            },
            response => ((response.SpotPlacementScores ?? []).Where(s => s.Region is null || s.Region == region).Select(Ec2Model.PlacementScore).ToList(),
                response.NextToken), cancellationToken);
    }

    // GetSpotPlacementScores pages hold 10 to 1000 items; a region has a handful of zones, so one page answers.
    private const int PlacementPageSize = 100;

    private async Task<IReadOnlyList<SpotPrice>> QueryAsync(CloudSession session, string region, IReadOnlyList<string> types, DateTimeOffset start, DateTimeOffset end,
        IReadOnlyList<string>? zones, CancellationToken cancellationToken)
    {
        // Without InstanceType (or with an empty zone filter) EC2 would price everything; the simulator prices nothing.
        if (types.Count == 0 || zones is { Count: 0 }) return [];
        var request = new DescribeSpotPriceHistoryRequest
        {
            ProductDescriptions = ["Linux/UNIX"],
            InstanceTypes = [.. types],
            StartTime = start.UtcDateTime,
            EndTime = end.UtcDateTime,
            MaxResults = PageSize,
        };
        // AvailabilityZone takes one zone; several go through the availability-zone filter.
        if (zones is [var zone]) request.AvailabilityZone = zone;
        else if (zones is not null) request.Filters = [new Filter("availability-zone", [.. zones])];

        return await ec2.Api.ListAsync(session, region, CloudActions.DescribeSpotPriceHistory,
            (client, token, t) =>
            {
                request.NextToken = token;
                return client.DescribeSpotPriceHistoryAsync(request, t);
            },
            response => ((response.SpotPriceHistory ?? []).Select(Ec2Model.Price).ToList(), response.NextToken), cancellationToken);
    }
}

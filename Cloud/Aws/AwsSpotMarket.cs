using Amazon.EC2.Model;

namespace SpotOptimizer.Cloud.Aws;

/// <summary>Spot placement scores from EC2 GetSpotPlacementScores, with the customer's role.</summary>
internal sealed class AwsSpotMarket(AwsEc2 ec2) : ISpotMarket
{
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
}

using SpotOptimizer.Cloud.Aws;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Cloud.Tests.Aws;

public sealed class AwsPlacementScoreTests
{
    private const string Ec2Namespace = "http://ec2.amazonaws.com/doc/2016-11-15/";

    [Fact]
    public async Task GetPlacementScores_ThrottledOnce_RetriedCountedAndAskedPerZoneInTheRegionWithSortedTypes()
    {
        await using var bed = await AwsTestBed.StartAsync();
        using var recorded = new MeterMeasurements(bed.Cloud.Metrics.Meter);
        var calls = 0;
        bed.Endpoint.Handler = _ => Interlocked.Increment(ref calls) == 1 ? AwsResponses.RequestLimitExceeded() : Scores(("use1-az1", 9), ("use1-az4", 2));

        var scores = await bed.Cloud.SpotMarket.GetPlacementScoresAsync(AwsTestBed.Session(), AwsTestBed.Region,
            new PlacementScoreQuery(["m5.xlarge", "m5.large", "m5.2xlarge", "m5.large"], 6));

        Assert.Equal([new SpotPlacementScore("use1-az1", 9), new SpotPlacementScore("use1-az4", 2)], scores);
        var form = bed.Endpoint.For("ec2").Last().Form;
        Assert.Equal(("GetSpotPlacementScores", "true", "6", "units", AwsTestBed.Region),
            (form["Action"], form["SingleAvailabilityZone"], form["TargetCapacity"], form["TargetCapacityUnitType"], form["RegionName.1"]));
        Assert.Equal(("m5.2xlarge", "m5.large", "m5.xlarge"), (form["InstanceType.1"], form["InstanceType.2"], form["InstanceType.3"]));
        Assert.DoesNotContain("InstanceType.4", form.Keys);
        Assert.Equal([(CloudActions.GetSpotPlacementScores, "RequestLimitExceeded")], recorded.Of(AwsMetrics.RetriesCounter, "code"));
        Assert.Equal([(CloudActions.GetSpotPlacementScores, AwsMetrics.Success)], recorded.Of(AwsMetrics.CallsCounter, "outcome"));
    }

    [Fact]
    public async Task GetPlacementScores_Unauthorized_MissingPermissionCode()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = _ => AwsResponses.Unauthorized();

        var error = await Assert.ThrowsAsync<CloudException>(() => bed.Cloud.SpotMarket.GetPlacementScoresAsync(AwsTestBed.Session(), AwsTestBed.Region,
            new PlacementScoreQuery(["m5.large", "m5.xlarge", "m5.2xlarge"], 1)));

        Assert.Equal(CloudErrorCodes.MissingPermission(CloudActions.GetSpotPlacementScores), error.Code);
    }

    [Fact]
    public async Task GetPlacementScores_NoTypesOrNoCapacity_RefusedBeforeAnyCall()
    {
        await using var bed = await AwsTestBed.StartAsync();

        var none = await Assert.ThrowsAsync<CloudException>(() =>
            bed.Cloud.SpotMarket.GetPlacementScoresAsync(AwsTestBed.Session(), AwsTestBed.Region, new PlacementScoreQuery([], 1)));
        var zero = await Assert.ThrowsAsync<CloudException>(() =>
            bed.Cloud.SpotMarket.GetPlacementScoresAsync(AwsTestBed.Session(), AwsTestBed.Region, new PlacementScoreQuery(["m5.large"], 0)));

        Assert.Equal((CloudErrorCodes.InvalidRequest, CloudErrorCodes.InvalidRequest), (none.Code, zero.Code));
        Assert.Empty(bed.Endpoint.Requests);
    }

    private static FakeResponse Scores(params (string ZoneId, int Score)[] scores) => new(200, $"""
        <GetSpotPlacementScoresResponse xmlns="{Ec2Namespace}">
          <requestId>d1e0ad3b-6b1c-4c6e-9f33-2d2f1EXAMPLE</requestId>
          <spotPlacementScoreSet>{string.Concat(scores.Select(s => $"<item><region>us-east-1</region><availabilityZoneId>{s.ZoneId}</availabilityZoneId><score>{s.Score}</score></item>"))}</spotPlacementScoreSet>
        </GetSpotPlacementScoresResponse>
        """);
}

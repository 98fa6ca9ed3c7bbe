using SpotOptimizer.Cloud.Aws;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Cloud.Tests.Aws;

public sealed class AwsMetricsTests
{
    private static readonly string Node = AwsResponses.Instance("i-0a1b2c3d4e5f60718", "m5.large", "us-east-1a", "running", "spot", "2026-02-27T08:15:42.000Z",
        "ip-10-0-1-23.ec2.internal");

    [Fact]
    public async Task DescribeInstances_ThrottledTwiceThenAnswered_CountsTwoRetriesAndOneSuccessfulCall()
    {
        await using var bed = await AwsTestBed.StartAsync();
        using var recorded = new MeterMeasurements(bed.Cloud.Metrics.Meter);
        var calls = 0;
        bed.Endpoint.Handler = _ => Interlocked.Increment(ref calls) <= 2 ? AwsResponses.RequestLimitExceeded() : AwsResponses.DescribeInstances(null, [Node]);

        Assert.Single(await bed.Cloud.Ec2.DescribeInstancesAsync(AwsTestBed.Session(), AwsTestBed.Region));

        Assert.Equal(3, bed.Endpoint.Requests.Count);
        Assert.Equal([(CloudActions.DescribeInstances, "RequestLimitExceeded"), (CloudActions.DescribeInstances, "RequestLimitExceeded")],
            recorded.Of(AwsMetrics.RetriesCounter, "code"));
        Assert.Equal([(CloudActions.DescribeInstances, AwsMetrics.Success)], recorded.Of(AwsMetrics.CallsCounter, "outcome"));
    }

    [Fact]
    public async Task Calls_FailedDeniedAndDryRun_CountedWithTheirOutcomeAcrossServices()
    {
        await using var bed = await AwsTestBed.StartAsync(o => o.MaxRetries = 1);
        using var recorded = new MeterMeasurements(bed.Cloud.Metrics.Meter);
        bed.Endpoint.Handler = r => (r.Service, r.Action) switch
        {
            ("ec2", "DescribeInstances") => AwsResponses.Unauthorized(),
            ("ec2", _) => AwsResponses.DryRunOk(),
            _ => AwsResponses.Json(503, """{"message":"Rate exceeded"}""", "ThrottlingException"),
        };

        await Assert.ThrowsAsync<CloudException>(() => bed.Cloud.Ec2.DescribeInstancesAsync(AwsTestBed.Session(), AwsTestBed.Region));
        // The dry run is allowed; reading the would-be changes afterwards is denied.
        var denied = await Assert.ThrowsAsync<CloudException>(() =>
            bed.Cloud.Instances.TerminateInstancesAsync(AwsTestBed.Session(), AwsTestBed.Region, ["i-0a1b2c3d4e5f60718"], dryRun: true));
        Assert.Equal("missing_permission:ec2:DescribeInstances", denied.Code);
        await Assert.ThrowsAsync<CloudException>(() => bed.Cloud.Eks.ListClustersAsync(AwsTestBed.Session(), AwsTestBed.Region));

        var calls = recorded.Of(AwsMetrics.CallsCounter, "outcome");
        Assert.Contains((CloudActions.DescribeInstances, "missing_permission:ec2:DescribeInstances"), calls);
        Assert.Contains((CloudActions.TerminateInstances, AwsMetrics.DryRun), calls);
        Assert.Contains((CloudActions.ListClusters, CloudErrorCodes.Throttled), calls);
        Assert.Equal([(CloudActions.ListClusters, "ThrottlingException")], recorded.Of(AwsMetrics.RetriesCounter, "code"));
    }

    [Fact]
    public async Task CreateFleet_LaunchedNothing_CountedAsTheFleetsError_ALaunchAsASuccess()
    {
        await using var bed = await AwsTestBed.StartAsync();
        using var recorded = new MeterMeasurements(bed.Cloud.Metrics.Meter);
        var launches = 0;
        bed.Endpoint.Handler = r => r.Action switch
        {
            // EC2 answers 200 to an instant fleet that launched nothing, with each pool's error.
            "CreateFleet" when Interlocked.Increment(ref launches) == 1 => AwsWriteResponses.CreateFleet([],
                ("m5.large", "us-east-1a", "InsufficientInstanceCapacity", "There is no Spot capacity available that matches your request.")),
            "CreateFleet" => AwsWriteResponses.CreateFleet([("m5.large", "us-east-1a", "spot", ["i-0b1c2d3e4f5a60719"])]),
            _ => AwsResponses.DescribeInstances(null, [Node]),
        };
        var launch = new LaunchRequest("3f2a6c0d9b8e7f6a5b4c3d2e1f0a9b8c", "m5.large", "us-east-1a", InstanceLifecycle.Spot, 1, new Dictionary<string, string>())
        {
            LaunchTemplate = new LaunchTemplateRef("lt-0e8c754449b27161c", "eks-spot-general-lt", "3"),
        };

        var failed = await Assert.ThrowsAsync<CloudException>(() => bed.Cloud.Instances.RunInstancesAsync(AwsTestBed.Session(), AwsTestBed.Region, launch));
        await bed.Cloud.Instances.RunInstancesAsync(AwsTestBed.Session(), AwsTestBed.Region, launch);

        Assert.Equal(CloudErrorCodes.InsufficientCapacity, failed.Code);
        Assert.Equal([(CloudActions.CreateFleet, CloudErrorCodes.InsufficientCapacity), (CloudActions.CreateFleet, AwsMetrics.Success)],
            recorded.Of(AwsMetrics.CallsCounter, "outcome").Where(c => c.Operation == CloudActions.CreateFleet));
    }

    [Fact]
    public void Meter_IsNamedForExporters()
    {
        using var metrics = new AwsMetrics();

        Assert.Equal("SpotOptimizer.Cloud", metrics.Meter.Name);
    }
}

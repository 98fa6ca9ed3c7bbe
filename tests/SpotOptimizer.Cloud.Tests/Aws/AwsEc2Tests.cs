namespace SpotOptimizer.Cloud.Tests.Aws;

public sealed class AwsEc2Tests
{
    private static readonly string SpotNode = AwsResponses.Instance("i-0a1b2c3d4e5f60718", "m5.large", "us-east-1a", "running", "spot", "2026-02-27T08:15:42.000Z",
        "ip-10-0-1-23.ec2.internal", ("eks:cluster-name", "prod-web"), ("eks:nodegroup-name", "spot-general"), ("aws:autoscaling:groupName", "eks-spot-general-1"));

    private static readonly string OnDemandNode = AwsResponses.Instance("i-0fedcba9876543210", "c5.xlarge", "us-east-1b", "running", null, "2026-01-11T19:00:00.000Z",
        "ip-10-0-2-7.ec2.internal", ("eks:cluster-name", "prod-web"), ("eks:nodegroup-name", "compute"));

    private static readonly string Bastion = AwsResponses.Instance("i-00000000000000abc", "t3.medium", "us-east-1c", "stopped", null, "2025-06-01T00:00:00.000Z",
        "ip-10-0-3-9.ec2.internal", ("Name", "bastion"));

    [Fact]
    public async Task DescribeInstances_TwoPages_FollowsNextTokenAndParsesEveryInstance()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = r => r.Form.ContainsKey("NextToken")
            ? AwsResponses.DescribeInstances(null, [Bastion])
            : AwsResponses.DescribeInstances("eyJ2IjoiMiIsImMiOiJwYWdlMiJ9", [SpotNode, OnDemandNode]);

        var instances = await bed.Cloud.Ec2.DescribeInstancesAsync(AwsTestBed.Session(), AwsTestBed.Region);

        Assert.Equal(["i-0a1b2c3d4e5f60718", "i-0fedcba9876543210", "i-00000000000000abc"], instances.Select(i => i.InstanceId));
        var spot = instances[0];
        Assert.Equal(("m5.large", "us-east-1a", InstanceLifecycle.Spot, InstanceState.Running), (spot.InstanceType, spot.AvailabilityZone, spot.Lifecycle, spot.State));
        Assert.Equal(new DateTimeOffset(2026, 2, 27, 8, 15, 42, TimeSpan.Zero), spot.LaunchTime);
        Assert.Equal("ip-10-0-1-23.ec2.internal", spot.PrivateDnsName);
        Assert.Equal(("prod-web", "spot-general", "eks-spot-general-1"), (spot.ClusterName, spot.NodegroupName, spot.AutoScalingGroupName));
        Assert.Equal(3, spot.Tags.Count);
        Assert.Equal(InstanceLifecycle.OnDemand, instances[1].Lifecycle);
        Assert.Equal((InstanceState.Stopped, (string?)null), (instances[2].State, instances[2].ClusterName));

        var requests = bed.Endpoint.For("ec2").ToList();
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Equal(("POST", "DescribeInstances", "2016-11-15", "1000"), (r.Method, r.Action, r.Form["Version"], r.Form["MaxResults"])));
        Assert.Equal("eyJ2IjoiMiIsImMiOiJwYWdlMiJ9", requests[1].Form["NextToken"]);
        Assert.All(requests, r => Assert.Equal("application/x-www-form-urlencoded; charset=utf-8", r.Header("Content-Type")));
    }

    [Fact]
    public async Task DescribeInstances_UnauthorizedOperation_ThrowsMissingPermission()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = _ => AwsResponses.Unauthorized();

        var error = await Assert.ThrowsAsync<CloudException>(() => bed.Cloud.Ec2.DescribeInstancesAsync(AwsTestBed.Session(), AwsTestBed.Region));

        Assert.Equal("missing_permission:ec2:DescribeInstances", error.Code);
        Assert.Equal("UnauthorizedOperation", error.ProviderCode);
        Assert.Single(bed.Endpoint.Requests);
    }

    [Fact]
    public async Task DescribeInstances_RequestLimitExceededThenSuccess_RetriesWithFreshSignature()
    {
        await using var bed = await AwsTestBed.StartAsync();
        var calls = 0;
        bed.Endpoint.Handler = _ => Interlocked.Increment(ref calls) == 1 ? AwsResponses.RequestLimitExceeded() : AwsResponses.DescribeInstances(null, [SpotNode]);

        var instances = await bed.Cloud.Ec2.DescribeInstancesAsync(AwsTestBed.Session(), AwsTestBed.Region);

        Assert.Single(instances);
        Assert.Equal(2, bed.Endpoint.Requests.Count);
    }

    [Fact]
    public async Task DescribeInstances_AlwaysThrottled_ThrowsRetryableThrottledAfterMaxRetries()
    {
        await using var bed = await AwsTestBed.StartAsync(o => o.MaxRetries = 2);
        bed.Endpoint.Handler = _ => AwsResponses.RequestLimitExceeded();

        var error = await Assert.ThrowsAsync<CloudException>(() => bed.Cloud.Ec2.DescribeInstancesAsync(AwsTestBed.Session(), AwsTestBed.Region));

        Assert.Equal((CloudErrorCodes.Throttled, true, "RequestLimitExceeded"), (error.Code, error.Retryable, error.ProviderCode));
        Assert.Equal(3, bed.Endpoint.Requests.Count);
    }

    [Fact]
    public async Task DescribeInstances_InternalErrorThenSuccess_Retries()
    {
        await using var bed = await AwsTestBed.StartAsync();
        var calls = 0;
        bed.Endpoint.Handler = _ => Interlocked.Increment(ref calls) == 1
            ? new FakeResponse(503, "<html><body>Service Unavailable</body></html>", "text/html")
            : AwsResponses.DescribeInstances(null, [OnDemandNode]);

        Assert.Single(await bed.Cloud.Ec2.DescribeInstancesAsync(AwsTestBed.Session(), AwsTestBed.Region));
        Assert.Equal(2, bed.Endpoint.Requests.Count);
    }

    [Fact]
    public async Task DescribeInstances_ServerTooSlow_ThrowsTimeoutAfterRetries()
    {
        await using var bed = await AwsTestBed.StartAsync(o =>
        {
            o.RequestTimeout = TimeSpan.FromSeconds(1);
            o.MaxRetries = 1;
        });
        bed.Endpoint.Handler = _ => AwsResponses.DescribeInstances(null, [SpotNode]) with { Delay = TimeSpan.FromSeconds(30) };

        var error = await Assert.ThrowsAsync<CloudException>(() => bed.Cloud.Ec2.DescribeInstancesAsync(AwsTestBed.Session(), AwsTestBed.Region));

        Assert.Equal((CloudErrorCodes.Timeout, true), (error.Code, error.Retryable));
        Assert.Equal(2, bed.Endpoint.Requests.Count);
    }

    [Fact]
    public async Task DescribeInstances_CallerCancels_ThrowsOperationCanceledWithoutRetry()
    {
        await using var bed = await AwsTestBed.StartAsync();
        using var cancel = new CancellationTokenSource();
        bed.Endpoint.Handler = _ =>
        {
            cancel.CancelAfter(TimeSpan.FromMilliseconds(50));
            return AwsResponses.DescribeInstances(null, [SpotNode]) with { Delay = TimeSpan.FromSeconds(5) };
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => bed.Cloud.Ec2.DescribeInstancesAsync(AwsTestBed.Session(), AwsTestBed.Region, cancel.Token));

        Assert.Single(bed.Endpoint.Requests);
    }

    [Fact]
    public async Task DescribeInstances_ExpiredSession_FailsWithoutCalling()
    {
        await using var bed = await AwsTestBed.StartAsync();

        var error = await Assert.ThrowsAsync<CloudException>(() =>
            bed.Cloud.Ec2.DescribeInstancesAsync(AwsTestBed.Session(DateTimeOffset.UtcNow.AddMinutes(-1)), AwsTestBed.Region));

        Assert.Equal(CloudErrorCodes.SessionExpired, error.Code);
        Assert.Empty(bed.Endpoint.Requests);
    }

    [Fact]
    public async Task DescribeInstances_TokenRejectedAsExpired_ThrowsSessionExpired()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = _ => AwsResponses.Ec2Error(400, "RequestExpired", "Request has expired.");

        var error = await Assert.ThrowsAsync<CloudException>(() => bed.Cloud.Ec2.DescribeInstancesAsync(AwsTestBed.Session(), AwsTestBed.Region));

        Assert.Equal(CloudErrorCodes.SessionExpired, error.Code);
    }

    [Fact]
    public async Task Clients_OnePerSessionKeyAndRegion_ReusedAcrossCalls()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = _ => AwsResponses.DescribeInstances(null, [SpotNode]);
        var api = ((SpotOptimizer.Cloud.Aws.AwsEc2)bed.Cloud.Ec2).Api;

        await bed.Cloud.Ec2.DescribeInstancesAsync(AwsTestBed.Session(), AwsTestBed.Region);
        await bed.Cloud.Ec2.DescribeInstancesAsync(AwsTestBed.Session(), AwsTestBed.Region);
        Assert.Equal(1, api.CachedClients);

        await bed.Cloud.Ec2.DescribeInstancesAsync(AwsTestBed.Session(), "eu-west-1");
        Assert.Equal(2, api.CachedClients);
        Assert.Equal(["us-east-1", "us-east-1", "eu-west-1"], bed.Endpoint.Requests.Select(r => r.Region));
    }
}

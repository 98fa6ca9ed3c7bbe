namespace SpotOptimizer.Cloud.Tests.Aws;

public sealed class AwsInstancesTests
{
    private const string Token = "3f2a6c0d9b8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a";

    private static readonly Dictionary<string, string> NodeTags = new(StringComparer.Ordinal)
    {
        ["eks:nodegroup-name"] = "spot-general",
        ["eks:cluster-name"] = "prod-web",
    };

    private static readonly string LaunchedSpot = AwsResponses.Instance("i-0b1c2d3e4f5a60719", "m5.large", "us-east-1a", "pending", "spot", "2026-03-02T09:30:05.000Z",
        "ip-10-0-1-51.ec2.internal", ("eks:cluster-name", "prod-web"), ("eks:nodegroup-name", "spot-general"));

    private static LaunchRequest Spot(bool dryRun = false) =>
        new(Token, "m5.large", "us-east-1a", InstanceLifecycle.Spot, 1, NodeTags, "eks-spot-general-lt", dryRun);

    [Fact]
    public async Task RunInstances_Spot_SendsSpotMarketOptionsTemplateTagsAndTokenAndParsesTheLaunch()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = _ => AwsWriteResponses.RunInstances(LaunchedSpot);

        var result = await bed.Cloud.Instances.RunInstancesAsync(AwsTestBed.Session(), AwsTestBed.Region, Spot());

        Assert.False(result.DryRun);
        var instance = Assert.Single(result.Instances);
        Assert.Equal(("i-0b1c2d3e4f5a60719", "m5.large", "us-east-1a", InstanceLifecycle.Spot, InstanceState.Pending),
            (instance.InstanceId, instance.InstanceType, instance.AvailabilityZone, instance.Lifecycle, instance.State));
        Assert.Equal(("prod-web", "spot-general"), (instance.ClusterName, instance.NodegroupName));

        var form = Assert.Single(bed.Endpoint.Requests).Form;
        Assert.Equal(("RunInstances", "2016-11-15", Token), (form["Action"], form["Version"], form["ClientToken"]));
        Assert.Equal(("m5.large", "us-east-1a", "1", "1"), (form["InstanceType"], form["Placement.AvailabilityZone"], form["MinCount"], form["MaxCount"]));
        Assert.Equal(("spot", "one-time", "terminate"),
            (form["InstanceMarketOptions.MarketType"], form["InstanceMarketOptions.SpotOptions.SpotInstanceType"], form["InstanceMarketOptions.SpotOptions.InstanceInterruptionBehavior"]));
        Assert.Equal(("eks-spot-general-lt", "$Default"), (form["LaunchTemplate.LaunchTemplateName"], form["LaunchTemplate.Version"]));
        Assert.Equal("instance", form["TagSpecification.1.ResourceType"]);
        Assert.Equal(
            [("eks:cluster-name", "prod-web"), ("eks:nodegroup-name", "spot-general")],
            [(form["TagSpecification.1.Tag.1.Key"], form["TagSpecification.1.Tag.1.Value"]), (form["TagSpecification.1.Tag.2.Key"], form["TagSpecification.1.Tag.2.Value"])]);
        Assert.DoesNotContain("DryRun", form.Keys);
    }

    [Fact]
    public async Task RunInstances_OnDemandWithoutTemplateOrTags_SendsNoMarketOptions()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = _ => AwsWriteResponses.RunInstances(
            AwsResponses.Instance("i-0c1d2e3f4a5b60720", "c5.xlarge", "us-east-1b", "pending", null, "2026-03-02T09:30:05.000Z", "ip-10-0-2-8.ec2.internal"),
            AwsResponses.Instance("i-0c1d2e3f4a5b60721", "c5.xlarge", "us-east-1b", "pending", null, "2026-03-02T09:30:05.000Z", "ip-10-0-2-9.ec2.internal"));

        var result = await bed.Cloud.Instances.RunInstancesAsync(AwsTestBed.Session(), AwsTestBed.Region,
            new LaunchRequest(Token, "c5.xlarge", "us-east-1b", InstanceLifecycle.OnDemand, 2, new Dictionary<string, string>()));

        Assert.All(result.Instances, i => Assert.Equal(InstanceLifecycle.OnDemand, i.Lifecycle));
        Assert.Equal(2, result.Instances.Count);
        var form = Assert.Single(bed.Endpoint.Requests).Form;
        Assert.Equal(("2", "2"), (form["MinCount"], form["MaxCount"]));
        Assert.DoesNotContain(form.Keys, k => k.StartsWith("InstanceMarketOptions", StringComparison.Ordinal)
            || k.StartsWith("LaunchTemplate", StringComparison.Ordinal) || k.StartsWith("TagSpecification", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunInstances_DryRunWouldSucceed_ReturnsDryRunWithoutInstances()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = r => r.Form.GetValueOrDefault("DryRun") == "true" ? AwsResponses.DryRunOk() : AwsWriteResponses.RunInstances(LaunchedSpot);

        var result = await bed.Cloud.Instances.RunInstancesAsync(AwsTestBed.Session(), AwsTestBed.Region, Spot(dryRun: true));

        Assert.Equal((true, 0), (result.DryRun, result.Instances.Count));
        var form = Assert.Single(bed.Endpoint.Requests).Form;
        Assert.Equal(("true", Token, "spot"), (form["DryRun"], form["ClientToken"], form["InstanceMarketOptions.MarketType"]));
    }

    [Fact]
    public async Task RunInstances_DryRunUnauthorized_ThrowsMissingPermission()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = _ => AwsResponses.Unauthorized();

        var error = await Assert.ThrowsAsync<CloudException>(() => bed.Cloud.Instances.RunInstancesAsync(AwsTestBed.Session(), AwsTestBed.Region, Spot(dryRun: true)));

        Assert.Equal(("missing_permission:ec2:RunInstances", CloudActions.RunInstances), (error.Code, error.MissingAction));
    }

    [Theory]
    [InlineData("InsufficientInstanceCapacity", "We currently do not have sufficient m5.large capacity in the Availability Zone you requested (us-east-1a).")]
    [InlineData("SpotMaxPriceTooLow", "Your Spot request price of 0.01 is lower than the minimum required Spot request fulfillment price of 0.0367.")]
    [InlineData("MaxSpotInstanceCountExceeded", "Max spot instance count exceeded")]
    public async Task RunInstances_NoCapacityInThePool_ThrowsInsufficientCapacityNotRetried(string awsCode, string message)
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = _ => AwsResponses.Ec2Error(awsCode == "InsufficientInstanceCapacity" ? 500 : 400, awsCode, message);

        var error = await Assert.ThrowsAsync<CloudException>(() => bed.Cloud.Instances.RunInstancesAsync(AwsTestBed.Session(), AwsTestBed.Region, Spot()));

        Assert.Equal((CloudErrorCodes.InsufficientCapacity, false, awsCode), (error.Code, error.Retryable, error.ProviderCode));
        Assert.Single(bed.Endpoint.Requests);
    }

    [Fact]
    public async Task RunInstances_TokenOverLimit_InvalidWithoutCalling()
    {
        await using var bed = await AwsTestBed.StartAsync();

        var error = await Assert.ThrowsAsync<CloudException>(() =>
            bed.Cloud.Instances.RunInstancesAsync(AwsTestBed.Session(), AwsTestBed.Region, Spot() with { ClientToken = new string('a', 65) }));

        Assert.Equal(CloudErrorCodes.InvalidRequest, error.Code);
        Assert.Empty(bed.Endpoint.Requests);
    }

    [Fact]
    public async Task TerminateInstances_Live_SendsIdsAndParsesStateChanges()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = _ => AwsWriteResponses.TerminateInstances(
            ("i-0a1b2c3d4e5f60718", "running", "shutting-down"), ("i-00000000000000abc", "terminated", "terminated"));

        var result = await bed.Cloud.Instances.TerminateInstancesAsync(AwsTestBed.Session(), AwsTestBed.Region, ["i-0a1b2c3d4e5f60718", "i-00000000000000abc"], dryRun: false);

        Assert.Equal(
            [new InstanceStateChange("i-0a1b2c3d4e5f60718", InstanceState.Running, InstanceState.ShuttingDown),
             new InstanceStateChange("i-00000000000000abc", InstanceState.Terminated, InstanceState.Terminated)],
            result.Changes);
        Assert.False(result.DryRun);
        var form = Assert.Single(bed.Endpoint.Requests).Form;
        Assert.Equal(("TerminateInstances", "i-0a1b2c3d4e5f60718", "i-00000000000000abc"), (form["Action"], form["InstanceId.1"], form["InstanceId.2"]));
        Assert.DoesNotContain("DryRun", form.Keys);
    }

    [Fact]
    public async Task TerminateInstances_DryRun_ReportsWouldBeChangesFromDescribeInstancesAndTerminatesNothing()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = r => r.Action switch
        {
            "TerminateInstances" when r.Form.GetValueOrDefault("DryRun") == "true" => AwsResponses.DryRunOk(),
            "DescribeInstances" => AwsResponses.DescribeInstances(null, [
                AwsResponses.Instance("i-0a1b2c3d4e5f60718", "m5.large", "us-east-1a", "running", "spot", "2026-02-27T08:15:42.000Z", "ip-10-0-1-23.ec2.internal"),
                AwsResponses.Instance("i-00000000000000abc", "t3.medium", "us-east-1c", "terminated", null, "2025-06-01T00:00:00.000Z", "")]),
            _ => AwsResponses.Ec2Error(400, "Unexpected", r.BodyText),
        };

        var result = await bed.Cloud.Instances.TerminateInstancesAsync(AwsTestBed.Session(), AwsTestBed.Region, ["i-0a1b2c3d4e5f60718", "i-00000000000000abc"], dryRun: true);

        Assert.True(result.DryRun);
        Assert.Equal(
            [new InstanceStateChange("i-0a1b2c3d4e5f60718", InstanceState.Running, InstanceState.ShuttingDown),
             new InstanceStateChange("i-00000000000000abc", InstanceState.Terminated, InstanceState.Terminated)],
            result.Changes);
        var requests = bed.Endpoint.Requests.ToList();
        Assert.Equal(["TerminateInstances", "DescribeInstances"], requests.Select(r => r.Action));
        Assert.Equal("true", requests[0].Form["DryRun"]);
        Assert.Equal(("i-0a1b2c3d4e5f60718", "i-00000000000000abc"), (requests[1].Form["InstanceId.1"], requests[1].Form["InstanceId.2"]));
        Assert.DoesNotContain("MaxResults", requests[1].Form.Keys);
    }

    [Fact]
    public async Task TerminateInstances_DryRunUnauthorized_ThrowsMissingPermission()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = _ => AwsResponses.Unauthorized();

        var error = await Assert.ThrowsAsync<CloudException>(() =>
            bed.Cloud.Instances.TerminateInstancesAsync(AwsTestBed.Session(), AwsTestBed.Region, ["i-0a1b2c3d4e5f60718"], dryRun: true));

        Assert.Equal("missing_permission:ec2:TerminateInstances", error.Code);
        Assert.Single(bed.Endpoint.Requests);
    }

    [Fact]
    public async Task TerminateInstances_UnknownInstance_ThrowsNotFound()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = _ => AwsResponses.Ec2Error(400, "InvalidInstanceID.NotFound", "The instance ID 'i-0fffffffffffffff0' does not exist");

        var error = await Assert.ThrowsAsync<CloudException>(() =>
            bed.Cloud.Instances.TerminateInstancesAsync(AwsTestBed.Session(), AwsTestBed.Region, ["i-0fffffffffffffff0"], dryRun: false));

        Assert.Equal((CloudErrorCodes.NotFound, "InvalidInstanceID.NotFound"), (error.Code, error.ProviderCode));
    }

    [Fact]
    public async Task GetInterruptionNotices_FiltersByInterruptionStatusCodesAndKeepsThoseSince()
    {
        var since = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = r => r.Form.ContainsKey("NextToken")
            ? AwsWriteResponses.SpotInstanceRequests(null,
                ("i-0c0c0c0c0c0c0c0c3", "c5.xlarge", "us-east-1b", "instance-terminated-no-capacity", "2026-03-02T09:00:00.000Z"),
                (null, "c5.xlarge", "us-east-1b", "marked-for-termination", "2026-03-02T09:20:00.000Z"))
            : AwsWriteResponses.SpotInstanceRequests("page-2",
                ("i-0a0a0a0a0a0a0a0a1", "m5.large", "us-east-1a", "marked-for-termination", "2026-03-02T09:28:00.000Z"),
                ("i-0b0b0b0b0b0b0b0b2", "m5.large", "us-east-1a", "instance-terminated-by-price", "2026-03-02T08:59:59.000Z"));

        var notices = await bed.Cloud.Instances.GetInterruptionNoticesAsync(AwsTestBed.Session(), AwsTestBed.Region, since);

        Assert.Equal(
            [
                new InterruptionNotice("i-0c0c0c0c0c0c0c0c3", "c5.xlarge", "us-east-1b", InterruptionKind.Interruption, since, since),
                new InterruptionNotice("i-0a0a0a0a0a0a0a0a1", "m5.large", "us-east-1a", InterruptionKind.Interruption,
                    new DateTimeOffset(2026, 3, 2, 9, 28, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.Zero)),
            ],
            notices);
        var requests = bed.Endpoint.Requests.ToList();
        Assert.Equal(2, requests.Count);
        var form = requests[0].Form;
        Assert.Equal(("DescribeSpotInstanceRequests", "status-code"), (form["Action"], form["Filter.1.Name"]));
        var codes = form.Where(p => p.Key.StartsWith("Filter.1.Value.", StringComparison.Ordinal)).Select(p => p.Value).ToList();
        Assert.Contains("marked-for-termination", codes);
        Assert.Contains("marked-for-stop", codes);
        Assert.Contains("marked-for-hibernation", codes);
        Assert.Contains("instance-terminated-by-price", codes);
        Assert.Contains("instance-terminated-no-capacity", codes);
        Assert.Contains("instance-stopped-no-capacity", codes);
        Assert.Contains("instance-terminated-capacity-oversubscribed", codes);
        Assert.Equal("page-2", requests[1].Form["NextToken"]);
    }

    [Fact]
    public async Task GetInterruptionNotices_Unauthorized_ThrowsMissingPermissionNamingTheAction()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = _ => AwsResponses.Unauthorized();

        var error = await Assert.ThrowsAsync<CloudException>(() =>
            bed.Cloud.Instances.GetInterruptionNoticesAsync(AwsTestBed.Session(), AwsTestBed.Region, DateTimeOffset.UtcNow.AddHours(-1)));

        Assert.Equal("missing_permission:ec2:DescribeSpotInstanceRequests", error.Code);
    }
}

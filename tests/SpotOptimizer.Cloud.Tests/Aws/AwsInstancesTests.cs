namespace SpotOptimizer.Cloud.Tests.Aws;

public sealed class AwsInstancesTests
{
    private const string Token = "3f2a6c0d9b8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a";

    private static readonly Dictionary<string, string> NodeTags = new(StringComparer.Ordinal)
    {
        ["eks:nodegroup-name"] = "spot-general",
        ["eks:cluster-name"] = "prod-web",
    };

    private static readonly LaunchTemplateRef Template = new("lt-0e8c754449b27161c", "eks-spot-general-lt", "3");

    private static readonly Dictionary<string, string> Subnets = new(StringComparer.Ordinal)
    {
        ["us-east-1a"] = "subnet-0a1a1a1a1a1a1a1a1",
        ["us-east-1b"] = "subnet-0b1b1b1b1b1b1b1b1",
    };

    private static string Launched(string id, string type, string zone) => AwsResponses.Instance(id, type, zone, "pending", "spot", "2026-03-02T09:30:05.000Z",
        "ip-10-0-1-51.ec2.internal", ("eks:cluster-name", "prod-web"), ("eks:nodegroup-name", "spot-general"));

    /// <summary>m5.large in us-east-1a first, c5.large in us-east-1b as the alternative pool.</summary>
    private static LaunchRequest Spot(bool dryRun = false, int count = 1) =>
        new LaunchRequest(Token, "m5.large", "us-east-1a", InstanceLifecycle.Spot, count, NodeTags, DryRun: dryRun)
        {
            LaunchTemplate = Template,
            SubnetIds = Subnets,
            Pools = [new SpotPool("us-east-1b", "c5.large")],
        };

    /// <summary>CreateFleet answers the launch, DescribeInstances the launched instances' details.</summary>
    private static Func<RecordedRequest, FakeResponse> Ec2(Func<FakeResponse> createFleet, params string[] described) => r => r.Action switch
    {
        "CreateFleet" => createFleet(),
        "DescribeInstances" => AwsResponses.DescribeInstances(null, described),
        _ => AwsResponses.Ec2Error(400, "Unexpected", r.BodyText),
    };

    [Fact]
    public async Task RunInstances_Spot_SendsAnInstantFleetAcrossThePoolsWithTheTemplateTagsAndToken()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = Ec2(() => AwsWriteResponses.CreateFleet([("m5.large", "us-east-1a", "spot", ["i-0b1c2d3e4f5a60719"])]),
            Launched("i-0b1c2d3e4f5a60719", "m5.large", "us-east-1a"));

        var result = await bed.Cloud.Instances.RunInstancesAsync(AwsTestBed.Session(), AwsTestBed.Region, Spot());

        Assert.False(result.DryRun);
        var instance = Assert.Single(result.Instances);
        Assert.Equal(("i-0b1c2d3e4f5a60719", "m5.large", "us-east-1a", InstanceLifecycle.Spot, InstanceState.Pending),
            (instance.InstanceId, instance.InstanceType, instance.AvailabilityZone, instance.Lifecycle, instance.State));
        Assert.Equal(("prod-web", "spot-general", "ip-10-0-1-51.ec2.internal"), (instance.ClusterName, instance.NodegroupName, instance.PrivateDnsName));

        var requests = bed.Endpoint.Requests.ToList();
        Assert.Equal(["CreateFleet", "DescribeInstances"], requests.Select(r => r.Action));
        var form = requests[0].Form;
        Assert.Equal(("2016-11-15", "instant", Token), (form["Version"], form["Type"], form["ClientToken"]));
        Assert.Equal(("1", "spot"), (form["TargetCapacitySpecification.TotalTargetCapacity"], form["TargetCapacitySpecification.DefaultTargetCapacityType"]));
        Assert.Equal(("price-capacity-optimized", "terminate"), (form["SpotOptions.AllocationStrategy"], form["SpotOptions.InstanceInterruptionBehavior"]));
        Assert.DoesNotContain(form.Keys, k => k.StartsWith("OnDemandOptions", StringComparison.Ordinal));
        Assert.Equal(("lt-0e8c754449b27161c", "3"),
            (form["LaunchTemplateConfigs.1.LaunchTemplateSpecification.LaunchTemplateId"], form["LaunchTemplateConfigs.1.LaunchTemplateSpecification.Version"]));
        Assert.Equal(
            [("m5.large", "subnet-0a1a1a1a1a1a1a1a1"), ("c5.large", "subnet-0b1b1b1b1b1b1b1b1")],
            [(form["LaunchTemplateConfigs.1.Overrides.1.InstanceType"], form["LaunchTemplateConfigs.1.Overrides.1.SubnetId"]),
             (form["LaunchTemplateConfigs.1.Overrides.2.InstanceType"], form["LaunchTemplateConfigs.1.Overrides.2.SubnetId"])]);
        Assert.DoesNotContain("LaunchTemplateConfigs.1.Overrides.3.InstanceType", form.Keys);
        Assert.Equal("instance", form["TagSpecification.1.ResourceType"]);
        Assert.Equal(
            [("eks:cluster-name", "prod-web"), ("eks:nodegroup-name", "spot-general")],
            [(form["TagSpecification.1.Tag.1.Key"], form["TagSpecification.1.Tag.1.Value"]), (form["TagSpecification.1.Tag.2.Key"], form["TagSpecification.1.Tag.2.Value"])]);
        Assert.DoesNotContain("DryRun", form.Keys);
        Assert.Equal("i-0b1c2d3e4f5a60719", requests[1].Form["InstanceId.1"]);
    }

    [Fact]
    public async Task RunInstances_OnDemandWithoutSubnets_LowestPriceAndZonesNamedInTheOverrides()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = Ec2(() => AwsWriteResponses.CreateFleet([("c5.xlarge", "us-east-1b", "on-demand", ["i-0c1d2e3f4a5b60720", "i-0c1d2e3f4a5b60721"])]),
            AwsResponses.Instance("i-0c1d2e3f4a5b60720", "c5.xlarge", "us-east-1b", "pending", null, "2026-03-02T09:30:05.000Z", "ip-10-0-2-8.ec2.internal"),
            AwsResponses.Instance("i-0c1d2e3f4a5b60721", "c5.xlarge", "us-east-1b", "pending", null, "2026-03-02T09:30:05.000Z", "ip-10-0-2-9.ec2.internal"));

        var result = await bed.Cloud.Instances.RunInstancesAsync(AwsTestBed.Session(), AwsTestBed.Region,
            new LaunchRequest(Token, "c5.xlarge", "us-east-1b", InstanceLifecycle.OnDemand, 2, new Dictionary<string, string>(), "eks-compute-lt"));

        Assert.Equal(["i-0c1d2e3f4a5b60720", "i-0c1d2e3f4a5b60721"], result.Instances.Select(i => i.InstanceId));
        Assert.All(result.Instances, i => Assert.Equal(InstanceLifecycle.OnDemand, i.Lifecycle));
        var form = bed.Endpoint.Requests.First().Form;
        Assert.Equal(("2", "on-demand", "lowest-price"),
            (form["TargetCapacitySpecification.TotalTargetCapacity"], form["TargetCapacitySpecification.DefaultTargetCapacityType"], form["OnDemandOptions.AllocationStrategy"]));
        Assert.Equal(("eks-compute-lt", "$Default"),
            (form["LaunchTemplateConfigs.1.LaunchTemplateSpecification.LaunchTemplateName"], form["LaunchTemplateConfigs.1.LaunchTemplateSpecification.Version"]));
        Assert.Equal(("c5.xlarge", "us-east-1b"), (form["LaunchTemplateConfigs.1.Overrides.1.InstanceType"], form["LaunchTemplateConfigs.1.Overrides.1.AvailabilityZone"]));
        Assert.DoesNotContain(form.Keys, k => k.StartsWith("SpotOptions", StringComparison.Ordinal) || k.StartsWith("TagSpecification", StringComparison.Ordinal)
            || k.EndsWith("SubnetId", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunInstances_OnePoolShortOfCapacity_ReturnsWhatLaunchedInTheOther()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = Ec2(() => AwsWriteResponses.CreateFleet(
                [("c5.large", "us-east-1b", "spot", ["i-0d1d2d3d4d5d60722"])],
                ("m5.large", "us-east-1a", "InsufficientInstanceCapacity", "There is no Spot capacity available that matches your request.")),
            Launched("i-0d1d2d3d4d5d60722", "c5.large", "us-east-1b"));

        var result = await bed.Cloud.Instances.RunInstancesAsync(AwsTestBed.Session(), AwsTestBed.Region, Spot(count: 2));

        var instance = Assert.Single(result.Instances);
        Assert.Equal(("i-0d1d2d3d4d5d60722", "c5.large", "us-east-1b"), (instance.InstanceId, instance.InstanceType, instance.AvailabilityZone));
    }

    [Theory]
    [InlineData("InsufficientInstanceCapacity", CloudErrorCodes.InsufficientCapacity)]
    [InlineData("SpotMaxPriceTooLow", CloudErrorCodes.InsufficientCapacity)]
    [InlineData("MaxSpotInstanceCountExceeded", CloudErrorCodes.InsufficientCapacity)]
    [InlineData("InvalidLaunchTemplateId.NotFound", CloudErrorCodes.NotFound)]
    public async Task RunInstances_NothingLaunched_ThrowsTheFleetsErrorNotRetried(string awsCode, string code)
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = Ec2(() => AwsWriteResponses.CreateFleet([],
            ("m5.large", "us-east-1a", awsCode, "The request cannot be fulfilled in this pool."),
            ("c5.large", "us-east-1b", awsCode, "The request cannot be fulfilled in this pool.")));

        var error = await Assert.ThrowsAsync<CloudException>(() => bed.Cloud.Instances.RunInstancesAsync(AwsTestBed.Session(), AwsTestBed.Region, Spot()));

        Assert.Equal((code, false, awsCode, CloudActions.CreateFleet), (error.Code, error.Retryable, error.ProviderCode, error.Operation));
        Assert.Contains("m5.large in us-east-1a", error.Message, StringComparison.Ordinal);
        Assert.Contains("c5.large in us-east-1b", error.Message, StringComparison.Ordinal);
        Assert.Single(bed.Endpoint.Requests);
    }

    [Fact]
    public async Task RunInstances_LaunchedButNotVisibleYet_AnswersTheFleetsInstances()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = r => r.Action == "CreateFleet"
            ? AwsWriteResponses.CreateFleet([("m5.large", "us-east-1a", "spot", ["i-0e1e2e3e4e5e60723"])])
            : AwsResponses.Ec2Error(400, "InvalidInstanceID.NotFound", "The instance ID 'i-0e1e2e3e4e5e60723' does not exist");

        var result = await bed.Cloud.Instances.RunInstancesAsync(AwsTestBed.Session(), AwsTestBed.Region, Spot());

        var instance = Assert.Single(result.Instances);
        Assert.Equal(("i-0e1e2e3e4e5e60723", "m5.large", "us-east-1a", InstanceLifecycle.Spot, InstanceState.Pending, "prod-web"),
            (instance.InstanceId, instance.InstanceType, instance.AvailabilityZone, instance.Lifecycle, instance.State, instance.ClusterName));
    }

    [Fact]
    public async Task RunInstances_DryRunWouldSucceed_ReturnsDryRunWithoutInstances()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = r => r.Form.GetValueOrDefault("DryRun") == "true" ? AwsResponses.DryRunOk() : AwsResponses.Ec2Error(400, "Unexpected", r.BodyText);

        var result = await bed.Cloud.Instances.RunInstancesAsync(AwsTestBed.Session(), AwsTestBed.Region, Spot(dryRun: true));

        Assert.Equal((true, 0), (result.DryRun, result.Instances.Count));
        var form = Assert.Single(bed.Endpoint.Requests).Form;
        Assert.Equal(("CreateFleet", "true", Token, "instant"), (form["Action"], form["DryRun"], form["ClientToken"], form["Type"]));
    }

    [Fact]
    public async Task RunInstances_DryRunUnauthorized_ThrowsMissingPermission()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = _ => AwsResponses.Unauthorized();

        var error = await Assert.ThrowsAsync<CloudException>(() => bed.Cloud.Instances.RunInstancesAsync(AwsTestBed.Session(), AwsTestBed.Region, Spot(dryRun: true)));

        Assert.Equal(("missing_permission:ec2:CreateFleet", CloudActions.CreateFleet), (error.Code, error.MissingAction));
    }

    [Fact]
    public async Task RunInstances_RetriedStepSameToken_SendsTheSameClientTokenEachTime()
    {
        await using var bed = await AwsTestBed.StartAsync();
        var calls = 0;
        bed.Endpoint.Handler = r => r.Action == "CreateFleet" && Interlocked.Increment(ref calls) == 1
            ? AwsResponses.RequestLimitExceeded()
            : Ec2(() => AwsWriteResponses.CreateFleet([("m5.large", "us-east-1a", "spot", ["i-0b1c2d3e4f5a60719"])]),
                Launched("i-0b1c2d3e4f5a60719", "m5.large", "us-east-1a"))(r);

        var result = await bed.Cloud.Instances.RunInstancesAsync(AwsTestBed.Session(), AwsTestBed.Region, Spot());

        Assert.Equal("i-0b1c2d3e4f5a60719", Assert.Single(result.Instances).InstanceId);
        var fleets = bed.Endpoint.Requests.Where(r => r.Action == "CreateFleet").ToList();
        Assert.Equal(2, fleets.Count);
        Assert.All(fleets, r => Assert.Equal(Token, r.Form["ClientToken"]));
    }

    [Fact]
    public async Task RunInstances_NoLaunchTemplate_InvalidRequestWithoutCalling()
    {
        await using var bed = await AwsTestBed.StartAsync();

        var error = await Assert.ThrowsAsync<CloudException>(() =>
            bed.Cloud.Instances.RunInstancesAsync(AwsTestBed.Session(), AwsTestBed.Region, Spot() with { LaunchTemplate = null }));

        Assert.Equal(CloudErrorCodes.InvalidRequest, error.Code);
        Assert.Contains("node group has no launch template", error.Message, StringComparison.Ordinal);
        Assert.Empty(bed.Endpoint.Requests);
    }

    [Fact]
    public async Task RunInstances_NoSubnetInAnyPoolsZone_InvalidRequestWithoutCalling()
    {
        await using var bed = await AwsTestBed.StartAsync();

        var error = await Assert.ThrowsAsync<CloudException>(() => bed.Cloud.Instances.RunInstancesAsync(AwsTestBed.Session(), AwsTestBed.Region,
            Spot() with { SubnetIds = new Dictionary<string, string> { ["us-east-1c"] = "subnet-0c1c1c1c1c1c1c1c1" } }));

        Assert.Equal(CloudErrorCodes.InvalidRequest, error.Code);
        Assert.Empty(bed.Endpoint.Requests);
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

namespace SpotOptimizer.Cloud.Tests.Simulation;

/// <summary>The simulator serves the same launch request as CreateFleet on AWS: several pools, the node group's template and subnets.</summary>
public sealed class SimulatedLaunchPoolTests
{
    private const string Region = SimulatedTenant.Region;

    private static readonly Dictionary<string, string> Tags = new(StringComparer.Ordinal) { [Ec2Instance.ClusterNameTag] = "replacement" };

    private static LaunchRequest Launch(string token, string type, string zone, params SpotPool[] pools) =>
        new LaunchRequest(token, type, zone, InstanceLifecycle.Spot, 1, Tags) { Pools = pools };

    [Fact]
    public async Task RunInstances_SeveralPools_LaunchesInTheCheapestPoolTheMarketPricesNow()
    {
        var tenant = await SimulatedTenant.StartAsync();
        SpotPool[] pools = [new("us-east-1a", "m5.large"), new("us-east-1b", "m5.large"), new("us-east-1c", "c5.large"), new("us-east-1b", "c5.large")];
        var prices = await tenant.Cloud.CurrentSpotPricesAsync(tenant.AccountId, Region, ["m5.large", "c5.large"]);
        var cheapest = pools.MinBy(p => prices.Single(q => q.Pool == p).PricePerHour)!;

        var result = await tenant.Cloud.Instances.RunInstancesAsync(tenant.Session, Region, Launch("pools-1", "m5.large", "us-east-1a", pools[1..]));

        var launched = Assert.Single(result.Instances);
        Assert.Equal(cheapest, new SpotPool(launched.AvailabilityZone, launched.InstanceType));
    }

    [Fact]
    public async Task RunInstances_FirstPoolInAZoneTheAccountLacks_LaunchesInTheOtherPool()
    {
        var tenant = await SimulatedTenant.StartAsync();
        Assert.DoesNotContain("us-east-1f", tenant.Cloud.ZonesOf(Region));

        var result = await tenant.Cloud.Instances.RunInstancesAsync(tenant.Session, Region,
            Launch("pools-2", "m5.large", "us-east-1f", new SpotPool("us-east-1b", "c5.xlarge")));

        var launched = Assert.Single(result.Instances);
        Assert.Equal(("us-east-1b", "c5.xlarge"), (launched.AvailabilityZone, launched.InstanceType));
    }

    [Fact]
    public async Task RunInstances_NoPoolUsable_FailsWithTheFirstPoolsReason()
    {
        var tenant = await SimulatedTenant.StartAsync();

        var error = await Assert.ThrowsAsync<CloudException>(() => tenant.Cloud.Instances.RunInstancesAsync(tenant.Session, Region,
            Launch("pools-3", "m5.large", "us-east-1f", new SpotPool("us-east-1b", "z9.nonexistent"))));

        Assert.Equal(CloudErrorCodes.InvalidRequest, error.Code);
        Assert.Contains("us-east-1f", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunInstances_SubnetsNamed_PoolsOutsideThemAreLeftOut()
    {
        var tenant = await SimulatedTenant.StartAsync();
        var subnets = await tenant.Cloud.Ec2.DescribeSubnetsAsync(tenant.Session, Region, []);
        var onlyC = subnets.Where(s => s.AvailabilityZone == "us-east-1c").ToDictionary(s => s.AvailabilityZone, s => s.SubnetId);

        var result = await tenant.Cloud.Instances.RunInstancesAsync(tenant.Session, Region,
            Launch("pools-4", "m5.large", "us-east-1a", new SpotPool("us-east-1c", "m5.large")) with { SubnetIds = onlyC });

        Assert.Equal("us-east-1c", Assert.Single(result.Instances).AvailabilityZone);
    }

    [Fact]
    public async Task RunInstances_TheNodeGroupsLaunchTemplates_Launch()
    {
        var tenant = await SimulatedTenant.StartAsync();
        var cluster = (await tenant.Cloud.Eks.ListClustersAsync(tenant.Session, Region))[0];
        var nodegroup = await tenant.Cloud.Eks.DescribeNodegroupAsync(tenant.Session, Region, cluster,
            (await tenant.Cloud.Eks.ListNodegroupsAsync(tenant.Session, Region, cluster))[0]);
        var asg = Assert.Single(await tenant.Cloud.AutoScaling.DescribeGroupsAsync(tenant.Session, Region, nodegroup.AutoScalingGroupNames));

        // The group's custom template (when it has one) and the one EKS made (its Auto Scaling group's) both launch.
        LaunchTemplateRef[] templates = [.. new[] { nodegroup.LaunchTemplate, asg.LaunchTemplate }.OfType<LaunchTemplateRef>()];
        Assert.NotEmpty(templates);
        foreach (var (template, i) in templates.Select((t, i) => (t, i)))
        {
            var result = await tenant.Cloud.Instances.RunInstancesAsync(tenant.Session, Region,
                Launch($"template-1-{i}", "m5.large", "us-east-1a") with { LaunchTemplate = template });
            Assert.Single(result.Instances);
        }
    }

    [Fact]
    public async Task RunInstances_ALaunchTemplateNoNodeGroupHas_InvalidRequestAndNothingLaunched()
    {
        var tenant = await SimulatedTenant.StartAsync();
        var before = (await tenant.Cloud.Ec2.DescribeInstancesAsync(tenant.Session, Region)).Count;

        var error = await Assert.ThrowsAsync<CloudException>(() => tenant.Cloud.Instances.RunInstancesAsync(tenant.Session, Region,
            Launch("template-2", "m5.large", "us-east-1a") with { LaunchTemplate = new LaunchTemplateRef("lt-0ffffffffffffffff", "someone-elses", "1") }));

        Assert.Equal((CloudErrorCodes.InvalidRequest, "InvalidLaunchTemplateId.NotFound"), (error.Code, error.ProviderCode));
        Assert.Contains("lt-0ffffffffffffffff", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, (await tenant.Cloud.Ec2.DescribeInstancesAsync(tenant.Session, Region)).Count);
    }

    [Fact]
    public async Task RunInstances_RetriedWithRebuiltCollections_SameLaunch()
    {
        var tenant = await SimulatedTenant.StartAsync();
        LaunchRequest Request() => Launch("retry-1", "m5.large", "us-east-1a", new SpotPool("us-east-1b", "m5.large"))
            with { SubnetIds = new Dictionary<string, string> { ["us-east-1a"] = "subnet-a", ["us-east-1b"] = "subnet-b" } };

        var first = await tenant.Cloud.Instances.RunInstancesAsync(tenant.Session, Region, Request());
        var again = await tenant.Cloud.Instances.RunInstancesAsync(tenant.Session, Region, Request());

        Assert.Equal(Assert.Single(first.Instances).InstanceId, Assert.Single(again.Instances).InstanceId);
    }
}

using SpotOptimizer.Cloud.Simulation;

namespace SpotOptimizer.Cloud.Tests.Simulation;

public sealed class SimulatedNetworkTests
{
    [Theory]
    [InlineData("us-east-1", "use1")]
    [InlineData("sa-east-1", "sae1")]
    [InlineData("eu-central-1", "euc1")]
    [InlineData("ap-southeast-2", "apse2")]
    [InlineData("ap-northeast-1", "apne1")]
    [InlineData("us-west-2", "usw2")]
    [InlineData("us-gov-west-1", "usgw1")]
    public void RegionPrefix_AsAwsNamesZoneIds(string region, string prefix) => Assert.Equal(prefix, SimulatedNetwork.RegionPrefix(region));

    [Fact]
    public void ZoneIds_OneAccount_DistinctAndStable_OtherAccountsMapDifferently()
    {
        string[] zones = ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"];
        var mine = zones.Select(z => SimulatedNetwork.ZoneId("111122223333", "us-east-1", z)).ToList();

        Assert.Equal(6, mine.Distinct().Count());
        Assert.All(mine, id => Assert.Matches("^use1-az[1-6]$", id));
        Assert.Equal(mine, zones.Select(z => SimulatedNetwork.ZoneId("111122223333", "us-east-1", z)));
        // As on AWS, "a" is not the same physical zone for everyone: among a few accounts some map it elsewhere.
        var others = new[] { "222233334444", "333344445555", "444455556666", "555566667777" }
            .Select(a => SimulatedNetwork.ZoneId(a, "us-east-1", "us-east-1a"));
        Assert.Contains(others, id => id != mine[0]);
    }

    [Fact]
    public void ZoneId_ZoneOfAnotherRegion_Refused()
    {
        var error = Assert.Throws<CloudException>(() => SimulatedNetwork.ZoneId("111122223333", "us-east-1", "sa-east-1a"));
        Assert.Equal(CloudErrorCodes.InvalidRequest, error.Code);
    }

    [Fact]
    public async Task DescribeAvailabilityZones_TheRegionsZonesWithTheAccountsIds()
    {
        var tenant = await SimulatedTenant.StartAsync();

        var zones = await tenant.Cloud.Ec2.DescribeAvailabilityZonesAsync(tenant.Session, SimulatedTenant.Region);

        Assert.Equal(tenant.Cloud.ZonesOf(SimulatedTenant.Region), zones.Select(z => z.ZoneName));
        Assert.All(zones, z => Assert.Equal(SimulatedNetwork.ZoneId(tenant.AccountId, SimulatedTenant.Region, z.ZoneName), z.ZoneId));
    }

    [Fact]
    public async Task DescribeSubnets_OnePerZone_ByIdOrAll_UnknownNotFound()
    {
        var tenant = await SimulatedTenant.StartAsync();

        var all = await tenant.Cloud.Ec2.DescribeSubnetsAsync(tenant.Session, SimulatedTenant.Region, []);
        var zones = await tenant.Cloud.Ec2.DescribeAvailabilityZonesAsync(tenant.Session, SimulatedTenant.Region);

        Assert.Equal(zones.Select(z => (z.ZoneName, z.ZoneId)), all.Select(s => (s.AvailabilityZone, s.AvailabilityZoneId)));
        Assert.All(all, s => Assert.Matches("^subnet-0[0-9a-f]{16}$", s.SubnetId));
        var one = await tenant.Cloud.Ec2.DescribeSubnetsAsync(tenant.Session, SimulatedTenant.Region, [all[1].SubnetId]);
        Assert.Equal([all[1]], one);
        var error = await Assert.ThrowsAsync<CloudException>(() => tenant.Cloud.Ec2.DescribeSubnetsAsync(tenant.Session, SimulatedTenant.Region, ["subnet-0nope"]));
        Assert.Equal((CloudErrorCodes.NotFound, "InvalidSubnetID.NotFound"), (error.Code, error.ProviderCode));
    }

    [Fact]
    public async Task DescribeNodegroup_ACustomTemplateOnlyWhenGivenOne_EksMadeOnTheAutoScalingGroup_AndTheRegionsSubnets()
    {
        var tenant = await SimulatedTenant.StartAsync();
        var cluster = (await tenant.Cloud.Eks.ListClustersAsync(tenant.Session, SimulatedTenant.Region))[0];
        // One group given a custom template, the other created without one.
        tenant.Cloud.Update(world => world.UpdateRegion(SimulatedWorld.DemoAccountId, SimulatedTenant.Region, r => r.WithCluster(r.FindCluster(cluster)! with
        {
            Nodegroups = [.. r.FindCluster(cluster)!.Nodegroups.Select((n, i) => n with
            {
                LaunchTemplate = i == 0 ? SimulatedNetwork.CustomLaunchTemplate(SimulatedWorld.DemoAccountId, cluster, n.Name) : null,
            })],
        })));
        var names = await tenant.Cloud.Eks.ListNodegroupsAsync(tenant.Session, SimulatedTenant.Region, cluster);

        var nodegroups = await Task.WhenAll(names.Select(n => tenant.Cloud.Eks.DescribeNodegroupAsync(tenant.Session, SimulatedTenant.Region, cluster, n)));
        var asgs = await tenant.Cloud.AutoScaling.DescribeGroupsAsync(tenant.Session, SimulatedTenant.Region, [.. nodegroups.SelectMany(n => n.AutoScalingGroupNames)]);
        var subnets = await tenant.Cloud.Ec2.DescribeSubnetsAsync(tenant.Session, SimulatedTenant.Region, []);

        Assert.Equal(SimulatedNetwork.CustomLaunchTemplate(SimulatedWorld.DemoAccountId, cluster, names[0]), nodegroups[0].LaunchTemplate);
        Assert.All(nodegroups.Skip(1), n => Assert.Null(n.LaunchTemplate));
        // Every group's ASG names the template EKS made (for the custom one, EKS's copy): one per group.
        Assert.Equal(nodegroups.Select(n => SimulatedNetwork.LaunchTemplate(SimulatedWorld.DemoAccountId, cluster, n.Name)),
            nodegroups.Select(n => asgs.Single(g => g.Name == Assert.Single(n.AutoScalingGroupNames)).LaunchTemplate));
        Assert.All(asgs, g => Assert.Matches("^lt-0[0-9a-f]{16}$", g.LaunchTemplate!.Id));
        Assert.Equal(asgs.Count + 1, asgs.Select(g => g.LaunchTemplate!.Id).Append(nodegroups[0].LaunchTemplate!.Id).Distinct().Count());
        Assert.All(nodegroups, n => Assert.Equal(subnets.Select(s => s.SubnetId), n.Subnets));
    }

    [Fact]
    public async Task DescribeSubnets_WithoutPermission_MissingPermission()
    {
        var tenant = await SimulatedTenant.StartAsync(allowedActions: RequiredPermissions.Actions.Except([CloudActions.DescribeSubnets]));

        var error = await Assert.ThrowsAsync<CloudException>(() => tenant.Cloud.Ec2.DescribeSubnetsAsync(tenant.Session, SimulatedTenant.Region, []));

        Assert.Equal("missing_permission:ec2:DescribeSubnets", error.Code);
    }

    [Fact]
    public async Task SpotPrices_AnotherAccount_PricedByPhysicalZone_InItsOwnNames()
    {
        var tenant = await SimulatedTenant.StartAsync();
        const string other = "510987654321";
        string[] six = ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"];
        tenant.Cloud.Update(world => world.UpdateRegion(other, SimulatedTenant.Region, r => r with { AvailabilityZones = six }));

        var market = await tenant.Cloud.PublicSpotPricesAsync(SimulatedTenant.Region);
        var seen = await tenant.Cloud.CurrentSpotPricesAsync(other, SimulatedTenant.Region, ["m5.large"]);
        var publicZones = tenant.Cloud.PublicZones(SimulatedTenant.Region).ToDictionary(z => z.ZoneId, z => z.ZoneName);

        // Only zones the market's view has are priced, each at the market's price for the zone with the same ID.
        Assert.Equal(publicZones.Count, seen.Count);
        foreach (var price in seen)
        {
            var marketZone = publicZones[SimulatedNetwork.ZoneId(other, SimulatedTenant.Region, price.AvailabilityZone)];
            Assert.Equal(market.Single(p => p.AvailabilityZone == marketZone && p.InstanceType == "m5.large").PricePerHour, price.PricePerHour);
        }

        Assert.Contains(seen, p => publicZones[SimulatedNetwork.ZoneId(other, SimulatedTenant.Region, p.AvailabilityZone)] != p.AvailabilityZone);
    }
}

namespace SpotOptimizer.Cloud.Tests.Aws;

public sealed class AwsAutoScalingTests
{
    private static readonly string SpotGroup = AwsWriteResponses.AutoScalingGroup("eks-spot-general-1", 0, 10, 3,
        ["i-0a1b2c3d4e5f60718", "i-0b1c2d3e4f5a60719"], ["us-east-1a", "us-east-1b"], ("eks:cluster-name", "prod-web"), ("eks:nodegroup-name", "spot-general"));

    private static readonly string SystemGroup = AwsWriteResponses.AutoScalingGroup("eks-system-4ec5d1f2", 1, 4, 2, ["i-0fedcba9876543210"], ["us-east-1c"]);

    [Fact]
    public async Task DescribeGroups_TwoPages_FollowsNextTokenAndParsesGroups()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = r => r.Form.ContainsKey("NextToken")
            ? AwsWriteResponses.AutoScalingGroups(null, SystemGroup)
            : AwsWriteResponses.AutoScalingGroups("Z3M3LMPEXAMPLE", SpotGroup);

        var groups = await bed.Cloud.AutoScaling.DescribeGroupsAsync(AwsTestBed.Session(), AwsTestBed.Region, []);

        Assert.Equal(["eks-spot-general-1", "eks-system-4ec5d1f2"], groups.Select(g => g.Name));
        var spot = groups[0];
        Assert.Equal(new NodegroupScaling(0, 10, 3), spot.Capacity);
        Assert.Equal(["i-0a1b2c3d4e5f60718", "i-0b1c2d3e4f5a60719"], spot.InstanceIds);
        Assert.Equal(["us-east-1a", "us-east-1b"], spot.AvailabilityZones);
        Assert.Equal(2, spot.Tags.Count);
        Assert.Equal(("prod-web", "spot-general"), (spot.Tags["eks:cluster-name"], spot.Tags["eks:nodegroup-name"]));
        Assert.Empty(groups[1].Tags);

        var requests = bed.Endpoint.For("autoscaling").ToList();
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Equal(("DescribeAutoScalingGroups", "2011-01-01", "100"), (r.Action, r.Form["Version"], r.Form["MaxRecords"])));
        Assert.DoesNotContain(requests[0].Form.Keys, k => k.StartsWith("AutoScalingGroupNames", StringComparison.Ordinal));
        Assert.Equal("Z3M3LMPEXAMPLE", requests[1].Form["NextToken"]);
        var auth = SigV4Reference.Parse(requests[0].Header("Authorization"))!;
        Assert.Equal(("autoscaling", "us-east-1"), (auth.Service, auth.Region));
    }

    [Fact]
    public async Task DescribeGroups_PlainLaunchTemplate_AsInTheReferenceExample_IsTheGroupsTemplate()
    {
        await using var bed = await AwsTestBed.StartAsync();
        // The element order of the API reference's DescribeAutoScalingGroups example: name, version, id.
        bed.Endpoint.Handler = _ => AwsWriteResponses.AutoScalingGroups(null, AwsWriteResponses.WithTemplate(SystemGroup, """
            <LaunchTemplate>
              <LaunchTemplateName>my-launch-template</LaunchTemplateName>
              <Version>1</Version>
              <LaunchTemplateId>lt-0b97f1e282EXAMPLE</LaunchTemplateId>
            </LaunchTemplate>
            """));

        var group = Assert.Single(await bed.Cloud.AutoScaling.DescribeGroupsAsync(AwsTestBed.Session(), AwsTestBed.Region, ["eks-system-4ec5d1f2"]));

        Assert.Equal(new LaunchTemplateRef("lt-0b97f1e282EXAMPLE", "my-launch-template", "1"), group.LaunchTemplate);
        Assert.Empty(group.MixedInstanceTypes);
    }

    [Fact]
    public async Task DescribeGroups_MixedInstancesPolicy_TemplateFromItsSpecification_LatestPassesThrough()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = _ => AwsWriteResponses.AutoScalingGroups(null, AwsWriteResponses.WithTemplate(SpotGroup, """
            <MixedInstancesPolicy>
              <LaunchTemplate>
                <LaunchTemplateSpecification>
                  <LaunchTemplateId>lt-0a20c965061f64abc</LaunchTemplateId>
                  <LaunchTemplateName>eks-38c5d1f2-6b3f-9b8e-4cbd-0f2b2c9e1a11</LaunchTemplateName>
                  <Version>$Latest</Version>
                </LaunchTemplateSpecification>
                <Overrides>
                  <member><InstanceType>m5.large</InstanceType></member>
                  <member><InstanceType>m5.xlarge</InstanceType></member>
                </Overrides>
              </LaunchTemplate>
              <InstancesDistribution>
                <OnDemandAllocationStrategy>prioritized</OnDemandAllocationStrategy>
                <OnDemandBaseCapacity>0</OnDemandBaseCapacity>
                <OnDemandPercentageAboveBaseCapacity>0</OnDemandPercentageAboveBaseCapacity>
                <SpotAllocationStrategy>capacity-optimized</SpotAllocationStrategy>
              </InstancesDistribution>
            </MixedInstancesPolicy>
            """), AwsWriteResponses.WithTemplate(SystemGroup, ""));

        var groups = await bed.Cloud.AutoScaling.DescribeGroupsAsync(AwsTestBed.Session(), AwsTestBed.Region, []);

        Assert.Equal(new LaunchTemplateRef("lt-0a20c965061f64abc", "eks-38c5d1f2-6b3f-9b8e-4cbd-0f2b2c9e1a11", "$Latest"), groups[0].LaunchTemplate);
        Assert.Equal(["m5.large", "m5.xlarge"], groups[0].MixedInstanceTypes);
        // A group on a launch configuration names no template.
        Assert.Null(groups[1].LaunchTemplate);
    }

    [Fact]
    public async Task DescribeGroups_ByName_SendsMemberList()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = _ => AwsWriteResponses.AutoScalingGroups(null, SpotGroup, SystemGroup);

        var groups = await bed.Cloud.AutoScaling.DescribeGroupsAsync(AwsTestBed.Session(), AwsTestBed.Region, ["eks-spot-general-1", "eks-system-4ec5d1f2"]);

        Assert.Equal(2, groups.Count);
        var form = Assert.Single(bed.Endpoint.Requests).Form;
        Assert.Equal(("eks-spot-general-1", "eks-system-4ec5d1f2"), (form["AutoScalingGroupNames.member.1"], form["AutoScalingGroupNames.member.2"]));
    }
}

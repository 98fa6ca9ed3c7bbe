using System.Net;
using Amazon.EC2;
using Amazon.EC2.Model;
using SpotOptimizer.Cloud.Simulation;

namespace SpotOptimizer.Cloud.Tests.SimulatedAws;

/// <summary>
/// The customer's role as the template writes it, judged on AWS's wire through AWSSDK.EC2: tags only within a launch,
/// no Spot prices (the platform reads those with its own identity).
/// </summary>
public sealed class CustomerRolePolicyWireTests
{
    [Fact]
    public async Task CreateTags_OnAnExistingInstance_UnauthorizedEvenAsADryRun()
    {
        await using var host = await SimulatedAwsHost.StartAsync();
        var (credentials, _) = await host.AssumeRoleAsync();
        using var ec2 = host.Ec2(credentials);
        var instance = host.Cloud.World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion(SimulatedAwsHost.Region)!.Instances[0].Instance;
        // What the loophole would allow: marking any instance as a cluster's, to open it to Terminate/Stop/Start.
        var request = new CreateTagsRequest { Resources = [instance.InstanceId], Tags = [new Amazon.EC2.Model.Tag(Ec2Instance.ClusterNameTag, "prod")] };

        var live = await Assert.ThrowsAsync<AmazonEC2Exception>(() => ec2.CreateTagsAsync(request));
        request.DryRun = true;
        var dry = await Assert.ThrowsAsync<AmazonEC2Exception>(() => ec2.CreateTagsAsync(request));

        Assert.Equal((HttpStatusCode.Forbidden, "UnauthorizedOperation"), (live.StatusCode, live.ErrorCode));
        Assert.Equal((HttpStatusCode.Forbidden, "UnauthorizedOperation"), (dry.StatusCode, dry.ErrorCode));
        Assert.Equal(instance.Tags, host.Cloud.World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion(SimulatedAwsHost.Region)!.Instances[0].Instance.Tags);
    }

    [Fact]
    public async Task CreateFleet_WithTags_TagsAuthorizedWithinTheLaunch()
    {
        await using var host = await SimulatedAwsHost.StartAsync();
        var (credentials, _) = await host.AssumeRoleAsync();
        using var ec2 = host.Ec2(credentials);
        var zone = host.Cloud.World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion(SimulatedAwsHost.Region)!.AvailabilityZones[0];

        var fleet = await ec2.CreateFleetAsync(TaggedFleet(zone));

        var id = Assert.Single(Assert.Single(fleet.Instances).InstanceIds);
        var launched = host.Cloud.World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion(SimulatedAwsHost.Region)!.Instances.Single(n => n.Instance.InstanceId == id);
        Assert.Equal("true", launched.Instance.Tags["spotoptimizer:managed"]);
        var tags = host.Cloud.Calls.Single(c => c.Operation == CloudActions.CreateTags);
        Assert.Equal(("createAction=CreateFleet", CloudCall.Ok), (tags.Arguments, tags.Outcome));
    }

    [Fact]
    public async Task CreateFleet_WithTags_RoleWithoutCreateTags_UnauthorizedAndNothingLaunched()
    {
        await using var host = await SimulatedAwsHost.StartAsync(RequiredPermissions.Actions.Except([CloudActions.CreateTags]));
        var (credentials, _) = await host.AssumeRoleAsync();
        using var ec2 = host.Ec2(credentials);
        var before = host.Cloud.World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion(SimulatedAwsHost.Region)!.Instances.Count;

        var error = await Assert.ThrowsAsync<AmazonEC2Exception>(() =>
            ec2.CreateFleetAsync(TaggedFleet(host.Cloud.World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion(SimulatedAwsHost.Region)!.AvailabilityZones[0])));

        Assert.Equal("UnauthorizedOperation", error.ErrorCode);
        Assert.Equal(before, host.Cloud.World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion(SimulatedAwsHost.Region)!.Instances.Count);
    }

    [Fact]
    public async Task RunInstances_WithTags_TaggedWithinTheLaunch_RefusedToARoleWithoutCreateTags()
    {
        await using var full = await SimulatedAwsHost.StartAsync();
        await using var untagging = await SimulatedAwsHost.StartAsync(RequiredPermissions.Actions.Except([CloudActions.CreateTags]));
        var request = new RunInstancesRequest
        {
            InstanceType = InstanceType.M5Large, MinCount = 1, MaxCount = 1, ClientToken = "tagged-run-1",
            LaunchTemplate = new LaunchTemplateSpecification { LaunchTemplateName = "eks-nodes" },
            TagSpecifications = [new TagSpecification { ResourceType = ResourceType.Instance, Tags = [new Amazon.EC2.Model.Tag("spotoptimizer:managed", "true")] }],
        };

        using var granted = full.Ec2((await full.AssumeRoleAsync()).Credentials);
        var launched = Assert.Single((await granted.RunInstancesAsync(request)).Reservation.Instances);
        using var refused = untagging.Ec2((await untagging.AssumeRoleAsync()).Credentials);
        var error = await Assert.ThrowsAsync<AmazonEC2Exception>(() => refused.RunInstancesAsync(request));

        Assert.Equal("true", launched.Tags.Single(t => t.Key == "spotoptimizer:managed").Value);
        Assert.Equal("createAction=RunInstances", full.Cloud.Calls.Single(c => c.Operation == CloudActions.CreateTags).Arguments);
        Assert.Equal("UnauthorizedOperation", error.ErrorCode);
        Assert.DoesNotContain(untagging.Cloud.Calls, c => c.Operation == CloudActions.RunInstances);
    }

    [Fact]
    public async Task DescribeSpotPriceHistory_CustomersRole_Unauthorized()
    {
        await using var host = await SimulatedAwsHost.StartAsync();
        var (credentials, _) = await host.AssumeRoleAsync();
        using var ec2 = host.Ec2(credentials);

        var error = await Assert.ThrowsAsync<AmazonEC2Exception>(() => ec2.DescribeSpotPriceHistoryAsync(new DescribeSpotPriceHistoryRequest
        {
            InstanceTypes = ["m5.large"], ProductDescriptions = ["Linux/UNIX"],
        }));

        Assert.Equal((HttpStatusCode.Forbidden, "UnauthorizedOperation"), (error.StatusCode, error.ErrorCode));
    }

    private static CreateFleetRequest TaggedFleet(string zone) => new()
    {
        Type = FleetType.Instant,
        ClientToken = "tagged-launch-1",
        LaunchTemplateConfigs =
        [
            new FleetLaunchTemplateConfigRequest
            {
                LaunchTemplateSpecification = new FleetLaunchTemplateSpecificationRequest { LaunchTemplateName = "eks-nodes", Version = "$Default" },
                Overrides = [new FleetLaunchTemplateOverridesRequest { InstanceType = InstanceType.M5Large, AvailabilityZone = zone }],
            },
        ],
        TargetCapacitySpecification = new TargetCapacitySpecificationRequest { TotalTargetCapacity = 1, DefaultTargetCapacityType = DefaultTargetCapacityType.Spot },
        TagSpecifications = [new TagSpecification { ResourceType = ResourceType.Instance, Tags = [new Amazon.EC2.Model.Tag("spotoptimizer:managed", "true")] }],
    };
}

using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using SpotOptimizer.Cloud.Simulation;
using static SpotOptimizer.Cloud.Tests.SimulatedAws.ReferenceWire;

namespace SpotOptimizer.Cloud.Tests.SimulatedAws;

/// <summary>
/// The simulator's raw EC2 answers for the calls the AWS provider makes to launch, watch and place instances, held to
/// AWS's examples (<see cref="Ec2InstancesReferenceExamples"/>, <see cref="Ec2NetworkReferenceExamples"/>): every element
/// it writes stands where the reference puts one of that name, and every element the product or AWSSDK.EC2 reads is there.
/// </summary>
public sealed class SimulatedAwsEc2ReferenceTests
{
    private const string Instance = "DescribeInstancesResponse/reservationSet/item/instancesSet/item";
    private const string Fleet = "CreateFleetResponse/fleetInstanceSet/item";
    private const string FleetError = "CreateFleetResponse/errorSet/item";

    [Fact]
    public async Task DescribeInstances_ElementsAsInTheReference()
    {
        await using var host = await SimulatedAwsHost.StartAsync();
        var credentials = (await host.AssumeRoleAsync()).Credentials;

        // Every instance of the demo account: On-Demand and Spot, tagged, with and without a root device.
        var answer = await QueryAsync(host, credentials, "ec2", ["Action=DescribeInstances"]);

        AssertShape(Ec2InstancesReferenceExamples.DescribeInstances(), answer,
            "DescribeInstancesResponse/reservationSet/item/reservationId", "DescribeInstancesResponse/reservationSet/item/ownerId",
            $"{Instance}/instanceId", $"{Instance}/instanceType", $"{Instance}/instanceState/name", $"{Instance}/launchTime",
            $"{Instance}/placement/availabilityZone", $"{Instance}/privateDnsName", $"{Instance}/instanceLifecycle",
            $"{Instance}/rootDeviceName", $"{Instance}/tagSet/item/key", $"{Instance}/tagSet/item/value");
    }

    [Fact]
    public async Task CreateFleet_Instant_ElementsAsInTheReference()
    {
        await using var host = await SimulatedAwsHost.StartAsync();
        var credentials = (await host.AssumeRoleAsync()).Credentials;
        var zone = host.Cloud.World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion(SimulatedAwsHost.Region)!.AvailabilityZones[0];
        // The first pool has no capacity: the answer carries an errorSet item as well as the launch of the second.
        host.Cloud.InjectFault(CloudActions.RunInstances, CloudException.InsufficientCapacity());

        var answer = await QueryAsync(host, credentials, "ec2",
        [
            "Action=CreateFleet", "Type=instant", "ClientToken=contract-fleet",
            "LaunchTemplateConfigs.1.LaunchTemplateSpecification.LaunchTemplateName=eks-nodes",
            "LaunchTemplateConfigs.1.LaunchTemplateSpecification.Version=%24Default",
            "LaunchTemplateConfigs.1.Overrides.1.InstanceType=m5.large", $"LaunchTemplateConfigs.1.Overrides.1.AvailabilityZone={zone}",
            "LaunchTemplateConfigs.1.Overrides.1.Priority=1",
            "LaunchTemplateConfigs.1.Overrides.2.InstanceType=c5.large", $"LaunchTemplateConfigs.1.Overrides.2.AvailabilityZone={zone}",
            "LaunchTemplateConfigs.1.Overrides.2.Priority=2",
            "TargetCapacitySpecification.TotalTargetCapacity=1", "TargetCapacitySpecification.DefaultTargetCapacityType=spot",
            "TagSpecification.1.ResourceType=instance", "TagSpecification.1.Tag.1.Key=spotoptimizer%3Amanaged", "TagSpecification.1.Tag.1.Value=true",
        ]);

        AssertShape(Ec2InstancesReferenceExamples.CreateFleet(), answer,
            "CreateFleetResponse/fleetId", $"{Fleet}/instanceIds/item", $"{Fleet}/instanceType", $"{Fleet}/lifecycle", $"{Fleet}/availabilityZone",
            $"{Fleet}/launchTemplateAndOverrides/overrides/availabilityZone",
            $"{FleetError}/errorCode", $"{FleetError}/errorMessage", $"{FleetError}/launchTemplateAndOverrides/overrides/instanceType");
    }

    [Fact]
    public async Task CreateFleet_Instant_SdkReadsTheLaunchZone()
    {
        await using var host = await SimulatedAwsHost.StartAsync();
        using var ec2 = host.Ec2((await host.AssumeRoleAsync()).Credentials);
        var zone = host.Cloud.World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion(SimulatedAwsHost.Region)!.AvailabilityZones[0];

        var fleet = await ec2.CreateFleetAsync(new CreateFleetRequest
        {
            Type = FleetType.Instant,
            ClientToken = "contract-fleet-zone",
            LaunchTemplateConfigs =
            [
                new FleetLaunchTemplateConfigRequest
                {
                    LaunchTemplateSpecification = new FleetLaunchTemplateSpecificationRequest { LaunchTemplateName = "eks-nodes", Version = "$Default" },
                    Overrides = [new FleetLaunchTemplateOverridesRequest { InstanceType = InstanceType.M5Large, AvailabilityZone = zone }],
                },
            ],
            TargetCapacitySpecification = new TargetCapacitySpecificationRequest { TotalTargetCapacity = 1, DefaultTargetCapacityType = DefaultTargetCapacityType.Spot },
        });

        // AWSSDK.EC2 reads the element the simulator now writes: the zone the fleet launched in, what the provider reads first.
        Assert.Equal(zone, Assert.Single(fleet.Instances).AvailabilityZone);
    }

    [Fact]
    public async Task DescribeSpotInstanceRequests_ElementsAsInTheReference()
    {
        await using var host = await SimulatedAwsHost.StartAsync();
        var credentials = (await host.AssumeRoleAsync()).Credentials;
        var spot = host.Cloud.World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion(SimulatedAwsHost.Region)!.Instances
            .First(n => n.Instance.Lifecycle == InstanceLifecycle.Spot && n.TerminatedAt is null).Instance.InstanceId;
        host.Cloud.InterruptSpotInstance(SimulatedWorld.DemoAccountId, SimulatedAwsHost.Region, spot);

        var answer = await QueryAsync(host, credentials, "ec2", ["Action=DescribeSpotInstanceRequests", "Filter.1.Name=instance-id", $"Filter.1.Value.1={spot}"]);

        const string Request = "DescribeSpotInstanceRequestsResponse/spotInstanceRequestSet/item";
        AssertShape(Ec2InstancesReferenceExamples.DescribeSpotInstanceRequests(), answer,
            $"{Request}/spotInstanceRequestId", $"{Request}/instanceId", $"{Request}/state", $"{Request}/status/code", $"{Request}/status/updateTime",
            $"{Request}/launchSpecification/instanceType", $"{Request}/launchSpecification/placement/availabilityZone", $"{Request}/launchedAvailabilityZone");
    }

    [Fact]
    public async Task DescribeSubnets_ElementsAsInTheReference()
    {
        await using var host = await SimulatedAwsHost.StartAsync();
        var credentials = (await host.AssumeRoleAsync()).Credentials;

        var answer = await QueryAsync(host, credentials, "ec2", ["Action=DescribeSubnets"]);

        const string Subnet = "DescribeSubnetsResponse/subnetSet/item";
        AssertShape(Ec2NetworkReferenceExamples.DescribeSubnets(), answer,
            $"{Subnet}/subnetId", $"{Subnet}/availabilityZone", $"{Subnet}/availabilityZoneId", $"{Subnet}/vpcId", $"{Subnet}/state");
    }

    [Fact]
    public async Task DescribeAvailabilityZones_CustomersAndPlatforms_ElementsAsInTheReference()
    {
        await using var host = await SimulatedAwsHost.StartAsync();
        var customer = (await host.AssumeRoleAsync()).Credentials;
        var platform = new BasicAWSCredentials(host.Platform.AccessKeyId, host.Platform.SecretAccessKey);

        var account = await QueryAsync(host, customer, "ec2", ["Action=DescribeAvailabilityZones"]);
        var market = await QueryAsync(host, platform, "ec2", ["Action=DescribeAvailabilityZones"]);

        const string Zone = "DescribeAvailabilityZonesResponse/availabilityZoneInfo/item";
        AssertShape(Ec2NetworkReferenceExamples.DescribeAvailabilityZones(), account, $"{Zone}/zoneName", $"{Zone}/zoneId", $"{Zone}/regionName", $"{Zone}/zoneState");
        AssertShape(Ec2NetworkReferenceExamples.DescribeAvailabilityZones(), market, $"{Zone}/zoneName", $"{Zone}/zoneId");
    }
}

using System.Net;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using SpotOptimizer.Cloud.Simulation;

namespace SpotOptimizer.Cloud.Tests.SimulatedAws;

/// <summary>The real AWSSDK clients (STS, EC2) against the simulator's AWS wire: every answer must parse, every error must be AWS's.</summary>
public sealed class SimulatedAwsSdkTests
{
    [Fact]
    public async Task AssumeRole_PlatformKey_IssuesSessionThatIdentifiesAsTheRole()
    {
        await using var host = await SimulatedAwsHost.StartAsync();

        var (credentials, issued) = await host.AssumeRoleAsync();
        using var sts = host.Sts(credentials);
        var identity = await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest());

        Assert.StartsWith("ASIA", issued.AccessKeyId, StringComparison.Ordinal);
        Assert.Equal(SimulatedWorld.DemoAccountId, identity.Account);
        Assert.Equal($"arn:aws:sts::{SimulatedWorld.DemoAccountId}:assumed-role/{SimulatedCloud.DefaultRoleName}/contract-test", identity.Arn);
        // DurationSeconds=900 is honoured: the session ends 15 minutes after the simulator's now.
        Assert.Equal(host.Clock.GetUtcNow().AddMinutes(15).UtcDateTime, issued.Expiration!.Value.ToUniversalTime(), TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task AssumeRole_WrongExternalId_AccessDeniedLikeAws()
    {
        await using var host = await SimulatedAwsHost.StartAsync();
        using var sts = host.Sts();

        var error = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => sts.AssumeRoleAsync(new AssumeRoleRequest
        {
            RoleArn = host.RoleArn, ExternalId = "not-the-external-id", RoleSessionName = "contract-test",
        }));

        Assert.Equal("AccessDenied", error.ErrorCode);
        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Equal(ErrorType.Sender, error.ErrorType);
    }

    [Fact]
    public async Task DescribeInstances_PagedBySdk_SameInstancesAsTheSimulator()
    {
        await using var host = await SimulatedAwsHost.StartAsync();
        var (credentials, _) = await host.AssumeRoleAsync();
        using var ec2 = host.Ec2(credentials);

        var wire = new List<Amazon.EC2.Model.Instance>();
        var pages = 0;
        string? token = null;
        do
        {
            var page = await ec2.DescribeInstancesAsync(new DescribeInstancesRequest { MaxResults = 5, NextToken = token });
            wire.AddRange(page.Reservations.SelectMany(r => r.Instances));
            token = page.NextToken;
            pages++;
        }
        while (token is not null);
        var direct = await host.Cloud.Ec2.DescribeInstancesAsync(await DirectSessionAsync(host), SimulatedAwsHost.Region);

        Assert.True(pages > 1, "the demo world has more than one page of five instances");
        Assert.Equal(direct.Select(i => (i.InstanceId, i.InstanceType, i.AvailabilityZone, State: i.State.ToString().ToLowerInvariant(), Spot: i.Lifecycle == InstanceLifecycle.Spot)),
            wire.Select(i => (i.InstanceId, i.InstanceType.Value, i.Placement.AvailabilityZone, State: i.State.Name.Value.Replace("-", "", StringComparison.Ordinal),
                Spot: i.InstanceLifecycle == InstanceLifecycleType.Spot)));
        var first = direct[0];
        Assert.Equal(first.Tags.OrderBy(t => t.Key), wire[0].Tags.Select(t => KeyValuePair.Create(t.Key, t.Value)).OrderBy(t => t.Key));
    }

    [Fact]
    public async Task DescribeInstances_TagFilter_OnlyThatClustersNodes()
    {
        await using var host = await SimulatedAwsHost.StartAsync();
        var (credentials, _) = await host.AssumeRoleAsync();
        using var ec2 = host.Ec2(credentials);
        var cluster = host.Cloud.World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion(SimulatedAwsHost.Region)!.Clusters[0].Cluster.Name;

        var response = await ec2.DescribeInstancesAsync(new DescribeInstancesRequest
        {
            Filters = [new Filter("tag:" + Ec2Instance.ClusterNameTag, [cluster]), new Filter("instance-state-name", ["pending", "running"])],
        });
        var instances = response.Reservations.SelectMany(r => r.Instances).ToList();

        Assert.NotEmpty(instances);
        Assert.All(instances, i => Assert.Contains(i.Tags, t => t.Key == Ec2Instance.ClusterNameTag && t.Value == cluster));
    }

    [Fact]
    public async Task CreateFleet_InstantSpot_LaunchesInFirstPoolThenTerminates()
    {
        await using var host = await SimulatedAwsHost.StartAsync();
        var (credentials, _) = await host.AssumeRoleAsync();
        using var ec2 = host.Ec2(credentials);
        var zone = host.Cloud.World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion(SimulatedAwsHost.Region)!.AvailabilityZones[0];

        var fleet = await ec2.CreateFleetAsync(FleetRequest(zone, "fleet-token-1"));
        var launched = Assert.Single(Assert.Single(fleet.Instances).InstanceIds);
        var again = await ec2.CreateFleetAsync(FleetRequest(zone, "fleet-token-1"));
        var described = Assert.Single((await ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [launched] })).Reservations.SelectMany(r => r.Instances));
        var terminated = await ec2.TerminateInstancesAsync(new TerminateInstancesRequest { InstanceIds = [launched] });

        Assert.StartsWith("fleet-", fleet.FleetId, StringComparison.Ordinal);
        Assert.Equal([launched], Assert.Single(again.Instances).InstanceIds);
        Assert.Equal(InstanceLifecycleType.Spot, described.InstanceLifecycle);
        Assert.Equal("m5.large", described.InstanceType.Value);
        Assert.Equal(zone, described.Placement.AvailabilityZone);
        Assert.Contains(described.Tags, t => t.Key == "spotoptimizer:managed" && t.Value == "true");
        Assert.Contains(described.Tags, t => t.Key == "aws:ec2:fleet-id" && t.Value == fleet.FleetId);
        var change = Assert.Single(terminated.TerminatingInstances);
        Assert.Equal(InstanceStateName.ShuttingDown, change.CurrentState.Name);
        Assert.Contains(host.Cloud.Calls, c => c.Operation == CloudActions.RunInstances && c.Succeeded);
    }

    [Fact]
    public async Task CreateFleet_FirstPoolOutOfCapacity_ReportsItAndUsesTheNext()
    {
        await using var host = await SimulatedAwsHost.StartAsync();
        var (credentials, _) = await host.AssumeRoleAsync();
        using var ec2 = host.Ec2(credentials);
        var zone = host.Cloud.World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion(SimulatedAwsHost.Region)!.AvailabilityZones[0];
        host.Cloud.InjectFault(CloudActions.RunInstances, CloudException.InsufficientCapacity());

        var fleet = await ec2.CreateFleetAsync(FleetRequest(zone, "fleet-token-2"));

        var error = Assert.Single(fleet.Errors);
        Assert.Equal("InsufficientInstanceCapacity", error.ErrorCode);
        Assert.Equal("m5.large", error.LaunchTemplateAndOverrides.Overrides.InstanceType.Value);
        Assert.Equal("c5.large", Assert.Single(fleet.Instances).InstanceType.Value);
    }

    [Fact]
    public async Task CreateFleet_MaintainType_InvalidParameterValue()
    {
        await using var host = await SimulatedAwsHost.StartAsync();
        var (credentials, _) = await host.AssumeRoleAsync();
        using var ec2 = host.Ec2(credentials);
        var request = FleetRequest("us-east-1a", "fleet-token-3");
        request.Type = FleetType.Maintain;

        var error = await Assert.ThrowsAsync<AmazonEC2Exception>(() => ec2.CreateFleetAsync(request));

        Assert.Equal("InvalidParameterValue", error.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
    }

    [Fact]
    public async Task TerminateInstances_DryRun_DryRunOperationAndNothingChanges()
    {
        await using var host = await SimulatedAwsHost.StartAsync();
        var (credentials, _) = await host.AssumeRoleAsync();
        using var ec2 = host.Ec2(credentials);
        var instance = host.Cloud.World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion(SimulatedAwsHost.Region)!.Instances[0].Instance;

        var error = await Assert.ThrowsAsync<AmazonEC2Exception>(() => ec2.TerminateInstancesAsync(new TerminateInstancesRequest { InstanceIds = [instance.InstanceId], DryRun = true }));

        Assert.Equal("DryRunOperation", error.ErrorCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, error.StatusCode);
        var after = host.Cloud.World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion(SimulatedAwsHost.Region)!.Instances[0];
        Assert.Null(after.TerminatedAt);
    }

    [Fact]
    public async Task TerminateInstances_RoleWithoutTheAction_UnauthorizedOperation()
    {
        await using var host = await SimulatedAwsHost.StartAsync(RequiredPermissions.Actions.Where(a => a != CloudActions.TerminateInstances));
        var (credentials, _) = await host.AssumeRoleAsync();
        using var ec2 = host.Ec2(credentials);
        var instance = host.Cloud.World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion(SimulatedAwsHost.Region)!.Instances[0].Instance;

        var error = await Assert.ThrowsAsync<AmazonEC2Exception>(() => ec2.TerminateInstancesAsync(new TerminateInstancesRequest { InstanceIds = [instance.InstanceId], DryRun = true }));

        Assert.Equal("UnauthorizedOperation", error.ErrorCode);
        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
    }

    [Fact]
    public async Task TerminateInstances_UnknownInstance_InvalidInstanceIdNotFound()
    {
        await using var host = await SimulatedAwsHost.StartAsync();
        var (credentials, _) = await host.AssumeRoleAsync();
        using var ec2 = host.Ec2(credentials);

        var error = await Assert.ThrowsAsync<AmazonEC2Exception>(() => ec2.TerminateInstancesAsync(new TerminateInstancesRequest { InstanceIds = ["i-0000000000000dead"] }));

        Assert.Equal("InvalidInstanceID.NotFound", error.ErrorCode);
    }

    [Fact]
    public async Task DescribeInstances_InjectedThrottling_RequestLimitExceeded()
    {
        await using var host = await SimulatedAwsHost.StartAsync();
        var (credentials, _) = await host.AssumeRoleAsync();
        using var ec2 = host.Ec2(credentials);
        host.Cloud.InjectFault(CloudActions.DescribeInstances, CloudException.Throttled());

        var error = await Assert.ThrowsAsync<AmazonEC2Exception>(() => ec2.DescribeInstancesAsync(new DescribeInstancesRequest()));

        Assert.Equal("RequestLimitExceeded", error.ErrorCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
    }

    [Fact]
    public async Task DescribeInstances_WrongSecret_SignatureDoesNotMatch()
    {
        await using var host = await SimulatedAwsHost.StartAsync();
        var (_, issued) = await host.AssumeRoleAsync();
        using var ec2 = host.Ec2(new SessionAWSCredentials(issued.AccessKeyId, "not-the-secret-key-of-this-session", issued.SessionToken));

        var error = await Assert.ThrowsAsync<AmazonEC2Exception>(() => ec2.DescribeInstancesAsync(new DescribeInstancesRequest()));

        Assert.Equal("SignatureDoesNotMatch", error.ErrorCode);
        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.DoesNotContain(host.Cloud.Calls, c => c.Operation == CloudActions.DescribeInstances);
    }

    [Fact]
    public async Task DescribeInstances_SignedForAnotherRegion_SignatureDoesNotMatch()
    {
        await using var host = await SimulatedAwsHost.StartAsync();
        var (credentials, _) = await host.AssumeRoleAsync();
        using var ec2 = new AmazonEC2Client(credentials, new AmazonEC2Config { ServiceURL = host.ServiceUrl("ec2"), AuthenticationRegion = "eu-west-1", MaxErrorRetry = 0 });

        var error = await Assert.ThrowsAsync<AmazonEC2Exception>(() => ec2.DescribeInstancesAsync(new DescribeInstancesRequest()));

        Assert.Equal("SignatureDoesNotMatch", error.ErrorCode);
    }

    [Fact]
    public async Task DescribeInstances_KeyStsNeverIssued_AuthFailure()
    {
        await using var host = await SimulatedAwsHost.StartAsync();
        using var ec2 = host.Ec2(new SessionAWSCredentials("ASIAUNKNOWNKEY000000", "secret", "token"));

        var error = await Assert.ThrowsAsync<AmazonEC2Exception>(() => ec2.DescribeInstancesAsync(new DescribeInstancesRequest()));

        Assert.Equal("AuthFailure", error.ErrorCode);
    }

    [Fact]
    public async Task DescribeInstances_SessionExpired_ExpiredToken()
    {
        await using var host = await SimulatedAwsHost.StartAsync();
        var (credentials, _) = await host.AssumeRoleAsync();
        using var ec2 = host.Ec2(credentials);
        host.Clock.Advance(TimeSpan.FromMinutes(16));

        var error = await Assert.ThrowsAsync<AmazonEC2Exception>(() => ec2.DescribeInstancesAsync(new DescribeInstancesRequest()));

        Assert.Equal("ExpiredToken", error.ErrorCode);
    }

    [Fact]
    public async Task DescribeInstances_PlatformKey_NotAllowedBeyondSts()
    {
        await using var host = await SimulatedAwsHost.StartAsync();
        using var ec2 = host.Ec2(new BasicAWSCredentials(host.Platform.AccessKeyId, host.Platform.SecretAccessKey));

        var error = await Assert.ThrowsAsync<AmazonEC2Exception>(() => ec2.DescribeInstancesAsync(new DescribeInstancesRequest()));

        Assert.Equal("UnauthorizedOperation", error.ErrorCode);
    }

    [Fact]
    public async Task DescribeSpotPriceHistory_Now_SameAsTheSimulatorsCurrentPrices()
    {
        // A role granted prices: the customer's is not (the platform reads them with its own identity), any other may be.
        await using var host = await SimulatedAwsHost.StartAsync(RequiredPermissions.Actions.Append(CloudActions.DescribeSpotPriceHistory));
        var (credentials, _) = await host.AssumeRoleAsync();
        using var ec2 = host.Ec2(credentials);
        var now = host.Clock.GetUtcNow();

        var wire = await ec2.DescribeSpotPriceHistoryAsync(new DescribeSpotPriceHistoryRequest
        {
            InstanceTypes = ["m5.large", "c5.large"], ProductDescriptions = ["Linux/UNIX"], StartTime = now.UtcDateTime, EndTime = now.UtcDateTime,
        });
        var direct = await host.Cloud.CurrentSpotPricesAsync(SimulatedWorld.DemoAccountId, SimulatedAwsHost.Region, ["m5.large", "c5.large"]);

        Assert.NotEmpty(direct);
        Assert.Equal(direct.Select(p => (p.AvailabilityZone, p.InstanceType, p.PricePerHour)).OrderBy(p => p.AvailabilityZone).ThenBy(p => p.InstanceType),
            wire.SpotPriceHistory.Select(p => (p.AvailabilityZone, p.InstanceType.Value, decimal.Parse(p.Price, System.Globalization.CultureInfo.InvariantCulture)))
                .OrderBy(p => p.AvailabilityZone).ThenBy(p => p.Item2));
    }

    private static CreateFleetRequest FleetRequest(string zone, string token) => new()
    {
        Type = FleetType.Instant,
        ClientToken = token,
        LaunchTemplateConfigs =
        [
            new FleetLaunchTemplateConfigRequest
            {
                LaunchTemplateSpecification = new FleetLaunchTemplateSpecificationRequest { LaunchTemplateName = "eks-nodes", Version = "$Default" },
                Overrides =
                [
                    new FleetLaunchTemplateOverridesRequest { InstanceType = InstanceType.M5Large, AvailabilityZone = zone },
                    new FleetLaunchTemplateOverridesRequest { InstanceType = InstanceType.C5Large, AvailabilityZone = zone },
                ],
            },
        ],
        TargetCapacitySpecification = new TargetCapacitySpecificationRequest { TotalTargetCapacity = 1, DefaultTargetCapacityType = DefaultTargetCapacityType.Spot },
        SpotOptions = new SpotOptionsRequest { AllocationStrategy = SpotAllocationStrategy.PriceCapacityOptimized },
        TagSpecifications = [new TagSpecification { ResourceType = ResourceType.Instance, Tags = [new Amazon.EC2.Model.Tag("spotoptimizer:managed", "true")] }],
    };

    /// <summary>A session of the same role assumed directly from the simulator, to compare the wire's answers with.</summary>
    private static Task<CloudSession> DirectSessionAsync(SimulatedAwsHost host) =>
        host.Cloud.AssumeRoleAsync(new RoleRequest(host.RoleArn, SimulatedAwsHost.ExternalId, "direct"));
}

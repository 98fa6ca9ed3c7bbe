using Amazon.EC2;
using Amazon.EC2.Model;

namespace SpotOptimizer.Cloud.Aws;

/// <summary>
/// Probes what the customer's role may do, without changing anything. EC2 actions are called with
/// <c>DryRun=true</c> (<c>DryRunOperation</c> = granted, <c>UnauthorizedOperation</c> = missing); EKS and Auto Scaling
/// reads are called for real with the smallest page (access denied = missing). Only definite answers count:
/// any other error, and writes that have no dry-run mode, are reported <see cref="PermissionStatus.Unverified"/>.
/// <c>ec2:CreateTags</c> is granted only inside a launch (the template's <c>ec2:CreateAction</c> condition), so it is probed
/// as AWS checks it: a CreateFleet dry run with the launch's tags, after an untagged one told CreateFleet's own verdict.
/// Throttling, timeouts and session errors propagate: the check failed, not the permission.
/// </summary>
internal sealed class AwsPermissions(AwsEc2 ec2, AwsEks eks, AwsAutoScaling autoScaling) : ICloudPermissions
{
    // Well-formed ids that exist nowhere: a dry run with them changes nothing whatever the answer.
    private const string ProbeInstance = "i-00000000000000000";
    private const string ProbeVolume = "vol-00000000000000000";
    private const string ProbeTemplate = "lt-00000000000000000";

    // Every EC2 probe is a dry run (DryRun=true): it changes nothing whatever the answer.
    private static readonly (string Action, Func<IAmazonEC2, CancellationToken, Task> Call)[] Ec2Probes =
    [
        (CloudActions.DescribeInstances, (c, t) => c.DescribeInstancesAsync(new DescribeInstancesRequest { DryRun = true, MaxResults = 5 }, t)),
        (CloudActions.DescribeSpotInstanceRequests, (c, t) => c.DescribeSpotInstanceRequestsAsync(new DescribeSpotInstanceRequestsRequest { DryRun = true, MaxResults = 5 }, t)),
        (CloudActions.DescribeVolumes, (c, t) => c.DescribeVolumesAsync(new DescribeVolumesRequest { DryRun = true, MaxResults = 5 }, t)),
        (CloudActions.DescribeAvailabilityZones, (c, t) => c.DescribeAvailabilityZonesAsync(new DescribeAvailabilityZonesRequest { DryRun = true }, t)),
        (CloudActions.DescribeSubnets, (c, t) => c.DescribeSubnetsAsync(new DescribeSubnetsRequest { DryRun = true, MaxResults = 5 }, t)),
        (CloudActions.GetSpotPlacementScores, (c, t) => c.GetSpotPlacementScoresAsync(new GetSpotPlacementScoresRequest
            { DryRun = true, InstanceTypes = ["m5.large", "m5.xlarge", "m5.2xlarge"], TargetCapacity = 1, SingleAvailabilityZone = true }, t)),
        (CloudActions.RunInstances, (c, t) => c.RunInstancesAsync(new RunInstancesRequest
            { DryRun = true, ImageId = "ami-00000000000000000", InstanceType = InstanceType.T3Micro, MinCount = 1, MaxCount = 1 }, t)),
        (CloudActions.CreateFleet, (c, t) => c.CreateFleetAsync(ProbeFleet(tagged: false), t)),
        (CloudActions.TerminateInstances, (c, t) => c.TerminateInstancesAsync(new TerminateInstancesRequest { DryRun = true, InstanceIds = [ProbeInstance] }, t)),
        (CloudActions.StopInstances, (c, t) => c.StopInstancesAsync(new StopInstancesRequest { DryRun = true, InstanceIds = [ProbeInstance] }, t)),
        (CloudActions.StartInstances, (c, t) => c.StartInstancesAsync(new StartInstancesRequest { DryRun = true, InstanceIds = [ProbeInstance] }, t)),
        (CloudActions.DetachVolume, (c, t) => c.DetachVolumeAsync(new DetachVolumeRequest { DryRun = true, VolumeId = ProbeVolume }, t)),
        (CloudActions.AttachVolume, (c, t) => c.AttachVolumeAsync(new AttachVolumeRequest
            { DryRun = true, VolumeId = ProbeVolume, InstanceId = ProbeInstance, Device = "/dev/sdf" }, t)),
    ];

    public async Task<PermissionReport> CheckAsync(CloudSession session, string region, CancellationToken cancellationToken = default)
    {
        var checks = new Dictionary<string, PermissionCheck>(StringComparer.Ordinal);
        foreach (var (action, call) in Ec2Probes)
            checks[action] = await ProbeEc2Async(session, region, action, call, cancellationToken);
        // A denial of the tagged launch when the untagged one is allowed can only be the tags'.
        checks[CloudActions.CreateTags] = checks[CloudActions.CreateFleet].Status == PermissionStatus.Granted
            ? await ProbeEc2Async(session, region, CloudActions.CreateTags, (c, t) => c.CreateFleetAsync(ProbeFleet(tagged: true), t), cancellationToken)
            : new PermissionCheck(CloudActions.CreateTags, PermissionStatus.Unverified, "tags are granted only within a launch, and CreateFleet was not granted");

        var cluster = await ProbeEksAsync(checks, session, region, CloudActions.ListClusters, "clusters?maxResults=1", "clusters", cancellationToken);
        if (cluster is null)
        {
            foreach (var action in new[] { CloudActions.DescribeCluster, CloudActions.ListNodegroups, CloudActions.DescribeNodegroup })
                checks[action] = new PermissionCheck(action, PermissionStatus.Unverified, $"no EKS cluster in {region} to probe with");
        }
        else
        {
            var path = $"clusters/{Uri.EscapeDataString(cluster)}";
            await ProbeEksAsync(checks, session, region, CloudActions.DescribeCluster, path, null, cancellationToken);
            var nodegroup = await ProbeEksAsync(checks, session, region, CloudActions.ListNodegroups, path + "/node-groups?maxResults=1", "nodegroups", cancellationToken);
            if (nodegroup is null)
                checks[CloudActions.DescribeNodegroup] = new PermissionCheck(CloudActions.DescribeNodegroup, PermissionStatus.Unverified, $"cluster {cluster} has no node group to probe with");
            else
                await ProbeEksAsync(checks, session, region, CloudActions.DescribeNodegroup, $"{path}/node-groups/{Uri.EscapeDataString(nodegroup)}", null, cancellationToken);
        }

        var asg = await autoScaling.Api.CallAsync(session, region, CloudActions.DescribeAutoScalingGroups, [new("MaxRecords", "1")], cancellationToken);
        checks[CloudActions.DescribeAutoScalingGroups] = Judge(CloudActions.DescribeAutoScalingGroups, asg);

        checks[CloudActions.UpdateNodegroupConfig] = new(CloudActions.UpdateNodegroupConfig, PermissionStatus.Unverified, "a write with no dry-run mode");
        checks[CloudActions.PassRole] = new(CloudActions.PassRole, PermissionStatus.Unverified, "IAM permissions cannot be probed without acting");
        // Receiving would hide events from the poller for the visibility timeout, deleting would lose them: neither is probed.
        checks[CloudActions.ReceiveMessage] = new(CloudActions.ReceiveMessage, PermissionStatus.Unverified, "reading the events queue would take its events");
        checks[CloudActions.DeleteMessage] = new(CloudActions.DeleteMessage, PermissionStatus.Unverified, "a write with no dry-run mode");
        return new PermissionReport(RequiredPermissions.Actions
            .Select(a => checks.GetValueOrDefault(a) ?? new PermissionCheck(a, PermissionStatus.Unverified, "no probe for this action")).ToList());
    }

    /// <summary>An EC2 dry run's verdict: DryRunOperation = granted, UnauthorizedOperation = missing, anything else unverified.</summary>
    private async Task<PermissionCheck> ProbeEc2Async(CloudSession session, string region, string action, Func<IAmazonEC2, CancellationToken, Task> call,
        CancellationToken cancellationToken)
    {
        try
        {
            await ec2.Api.CallAsync(session, region, action, async (c, t) =>
            {
                await call(c, t);
                return true;
            }, cancellationToken);
            // Answered for real: the flag was ignored, but the action was allowed.
            return new PermissionCheck(action, PermissionStatus.Granted);
        }
        catch (CloudException e) when (!e.Retryable && e.Code is not (CloudErrorCodes.SessionExpired or CloudErrorCodes.SessionInvalid))
        {
            return e.ProviderCode == Ec2Api.DryRunSucceeded ? new PermissionCheck(action, PermissionStatus.Granted)
                : e.MissingAction is not null ? new PermissionCheck(action, PermissionStatus.Missing, e.Message)
                : new PermissionCheck(action, PermissionStatus.Unverified, e.Message);
        }
    }

    /// <summary>An instant Spot fleet of one from a template that exists nowhere; tagged as the optimizer tags its launches.</summary>
    private static CreateFleetRequest ProbeFleet(bool tagged) => new()
    {
        DryRun = true,
        Type = FleetType.Instant,
        TargetCapacitySpecification = new TargetCapacitySpecificationRequest { TotalTargetCapacity = 1, DefaultTargetCapacityType = DefaultTargetCapacityType.Spot },
        LaunchTemplateConfigs = [new FleetLaunchTemplateConfigRequest { LaunchTemplateSpecification = new() { LaunchTemplateId = ProbeTemplate, Version = "$Default" } }],
        TagSpecifications = tagged ? [new TagSpecification { ResourceType = ResourceType.Instance, Tags = [new Tag("spotoptimizer:permission-probe", "1")] }] : null,
    };

    /// <summary>Calls an EKS read and records the verdict; returns the first name in <paramref name="listProperty"/> when granted.</summary>
    private async Task<string?> ProbeEksAsync(Dictionary<string, PermissionCheck> checks, CloudSession session, string region, string action,
        string pathAndQuery, string? listProperty, CancellationToken cancellationToken)
    {
        var response = await eks.TryGetAsync(session, region, action, pathAndQuery, cancellationToken);
        checks[action] = Judge(action, response);
        if (!response.IsSuccess || listProperty is null) return null;
        using var json = System.Text.Json.JsonDocument.Parse(response.Body);
        return json.RootElement.TryGetProperty(listProperty, out var items) && items.GetArrayLength() > 0 ? items[0].GetString() : null;
    }

    private static PermissionCheck Judge(string action, AwsResponse response) => response.Error switch
    {
        null => new PermissionCheck(action, PermissionStatus.Granted),
        { } error when AwsErrors.IsDenied(error.Code) => new PermissionCheck(action, PermissionStatus.Missing, error.Message),
        { } error when AwsErrors.ToCloudException(error, response.Status, action) is { Code: CloudErrorCodes.SessionExpired or CloudErrorCodes.SessionInvalid } e =>
            throw e,
        { } error => new PermissionCheck(action, PermissionStatus.Unverified, $"{error.Code}: {error.Message}"),
    };
}

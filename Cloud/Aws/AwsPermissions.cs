namespace SpotOptimizer.Cloud.Aws;

/// <summary>
/// Probes what the customer's role may do, without changing anything. EC2 actions are called with
/// <c>DryRun=true</c> (<c>DryRunOperation</c> = granted, <c>UnauthorizedOperation</c> = missing); EKS and Auto Scaling
/// reads are called for real with the smallest page (access denied = missing). Only definite answers count:
/// any other error, and writes that have no dry-run mode, are reported <see cref="PermissionStatus.Unverified"/>.
/// Throttling, timeouts and session errors propagate: the check failed, not the permission.
/// </summary>
internal sealed class AwsPermissions(AwsEc2 ec2, AwsEks eks, AwsAutoScaling autoScaling) : ICloudPermissions
{
    // Well-formed ids that exist nowhere: a dry run with them changes nothing whatever the answer.
    private const string ProbeInstance = "i-00000000000000000";
    private const string ProbeVolume = "vol-00000000000000000";

    private static readonly (string Action, KeyValuePair<string, string>[] Parameters)[] Ec2Probes =
    [
        (CloudActions.DescribeInstances, [new("MaxResults", "5")]),
        (CloudActions.DescribeSpotPriceHistory, [new("InstanceType.1", "m5.large"), new("ProductDescription.1", "Linux/UNIX")]),
        (CloudActions.DescribeSpotInstanceRequests, [new("MaxResults", "5")]),
        (CloudActions.DescribeVolumes, [new("MaxResults", "5")]),
        (CloudActions.DescribeAvailabilityZones, []),
        (CloudActions.DescribeSubnets, [new("MaxResults", "5")]),
        (CloudActions.RunInstances, [new("ImageId", "ami-00000000000000000"), new("InstanceType", "t3.micro"), new("MinCount", "1"), new("MaxCount", "1")]),
        // An instant fleet for one t3.micro from a template that exists nowhere: authorization is judged before the template.
        (CloudActions.CreateFleet, [new("Type", "instant"), new("TargetCapacitySpecification.TotalTargetCapacity", "1"),
            new("TargetCapacitySpecification.DefaultTargetCapacityType", "on-demand"),
            new("LaunchTemplateConfigs.1.LaunchTemplateSpecification.LaunchTemplateId", "lt-00000000000000000"),
            new("LaunchTemplateConfigs.1.LaunchTemplateSpecification.Version", "$Default")]),
        (CloudActions.TerminateInstances, [new("InstanceId.1", ProbeInstance)]),
        (CloudActions.StopInstances, [new("InstanceId.1", ProbeInstance)]),
        (CloudActions.StartInstances, [new("InstanceId.1", ProbeInstance)]),
        (CloudActions.CreateTags, [new("ResourceId.1", ProbeInstance), new("Tag.1.Key", "spotoptimizer:permission-probe"), new("Tag.1.Value", "1")]),
        (CloudActions.DetachVolume, [new("VolumeId", ProbeVolume)]),
        (CloudActions.AttachVolume, [new("VolumeId", ProbeVolume), new("InstanceId", ProbeInstance), new("Device", "/dev/sdf")]),
    ];

    public async Task<PermissionReport> CheckAsync(CloudSession session, string region, CancellationToken cancellationToken = default)
    {
        var checks = new Dictionary<string, PermissionCheck>(StringComparer.Ordinal);
        foreach (var (action, parameters) in Ec2Probes)
        {
            var response = await ec2.Api.CallAsync(session, region, action, [new("DryRun", "true"), .. parameters], cancellationToken);
            checks[action] = response.Error?.Code == AwsQueryApi.DryRunSucceeded ? new PermissionCheck(action, PermissionStatus.Granted) : Judge(action, response);
        }

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
        checks[CloudActions.UpdateAutoScalingGroup] = new(CloudActions.UpdateAutoScalingGroup, PermissionStatus.Unverified, "a write with no dry-run mode");
        checks[CloudActions.PassRole] = new(CloudActions.PassRole, PermissionStatus.Unverified, "IAM permissions cannot be probed without acting");
        return new PermissionReport(RequiredPermissions.Actions.Select(a => checks[a]).ToList());
    }

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

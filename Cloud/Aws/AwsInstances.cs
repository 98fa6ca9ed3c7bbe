using Amazon.EC2.Model;

namespace SpotOptimizer.Cloud.Aws;

/// <summary>
/// Launch (EC2 CreateFleet), stop, start and terminate instances (StopInstances / StartInstances / TerminateInstances),
/// Spot interruptions from the Spot requests, all through AWSSDK.EC2.
/// </summary>
internal sealed class AwsInstances(AwsEc2 ec2, AwsFleet fleet) : IInstanceLifecycle
{
    /// <summary>EC2's notice period between <c>marked-for-*</c> and the interruption itself.</summary>
    private static readonly TimeSpan InterruptionWarning = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Spot request status codes of an interruption: announced (<c>marked-for-*</c>, the two-minute notice) or done
    /// (the instance was stopped or terminated by price or capacity). See the EC2 user guide, "Spot request status".
    /// </summary>
    public static readonly IReadOnlyList<string> InterruptionStatusCodes =
    [
        "marked-for-termination", "marked-for-stop", "marked-for-hibernation",
        "instance-terminated-by-price", "instance-terminated-no-capacity", "instance-terminated-capacity-oversubscribed",
        "instance-stopped-by-price", "instance-stopped-no-capacity",
    ];

    /// <summary>CreateFleet (type instant) across the request's pools with the node group's launch template: see <see cref="AwsFleet"/>.</summary>
    public Task<LaunchResult> RunInstancesAsync(CloudSession session, string region, LaunchRequest request, CancellationToken cancellationToken = default) =>
        fleet.LaunchAsync(session, region, request, cancellationToken);

    /// <summary>
    /// TerminateInstances. A dry run tells only that the call would be allowed, so the would-be changes are read from
    /// DescribeInstances, as the simulator reports them: live instances go to shutting-down, terminated ones stay.
    /// </summary>
    public async Task<TerminateResult> TerminateInstancesAsync(CloudSession session, string region, IReadOnlyList<string> instanceIds, bool dryRun,
        CancellationToken cancellationToken = default) =>
        new(await ChangeStatesAsync(session, region, CloudActions.TerminateInstances, instanceIds, dryRun,
            async (ec2, dry, t) => (await ec2.TerminateInstancesAsync(new TerminateInstancesRequest { InstanceIds = [.. instanceIds], DryRun = dry }, t)).TerminatingInstances,
            i => new Cloud.InstanceStateChange(i.InstanceId, i.State, i.State == InstanceState.Terminated ? i.State : InstanceState.ShuttingDown), cancellationToken), dryRun);

    /// <summary>StopInstances; a dry run answers what <see cref="InstanceTransitions.Stop"/> says of the instances' states now.</summary>
    public Task<IReadOnlyList<Cloud.InstanceStateChange>> StopInstancesAsync(CloudSession session, string region, IReadOnlyList<string> instanceIds, bool dryRun,
        CancellationToken cancellationToken = default) =>
        ChangeStatesAsync(session, region, CloudActions.StopInstances, instanceIds, dryRun,
            async (ec2, dry, t) => (await ec2.StopInstancesAsync(new StopInstancesRequest { InstanceIds = [.. instanceIds], DryRun = dry }, t)).StoppingInstances,
            InstanceTransitions.Stop, cancellationToken);

    /// <summary>StartInstances; a dry run answers what <see cref="InstanceTransitions.Start"/> says of the instances' states now.</summary>
    public Task<IReadOnlyList<Cloud.InstanceStateChange>> StartInstancesAsync(CloudSession session, string region, IReadOnlyList<string> instanceIds, bool dryRun,
        CancellationToken cancellationToken = default) =>
        ChangeStatesAsync(session, region, CloudActions.StartInstances, instanceIds, dryRun,
            async (ec2, dry, t) => (await ec2.StartInstancesAsync(new StartInstancesRequest { InstanceIds = [.. instanceIds], DryRun = dry }, t)).StartingInstances,
            InstanceTransitions.Start, cancellationToken);

    /// <summary>
    /// One of the state-changing calls (TerminateInstances, StopInstances, StartInstances). A dry run tells only that the
    /// call would be allowed, so the would-be changes are read from DescribeInstances and <paramref name="wouldChange"/>,
    /// as the simulator reports them; an unknown instance is not found, as the call itself would answer.
    /// </summary>
    private async Task<IReadOnlyList<Cloud.InstanceStateChange>> ChangeStatesAsync(CloudSession session, string region, string operation, IReadOnlyList<string> instanceIds,
        bool dryRun, Func<Amazon.EC2.IAmazonEC2, bool?, CancellationToken, Task<List<Amazon.EC2.Model.InstanceStateChange>>> call,
        Func<Ec2Instance, Cloud.InstanceStateChange> wouldChange, CancellationToken cancellationToken)
    {
        if (instanceIds.Count == 0) return [];
        // Only a dry run carries the flag (null leaves it off the wire, as before the SDK).
        if (!dryRun) return Ec2Model.StateChanges(await ec2.Api.CallAsync(session, region, operation, (client, t) => call(client, null, t), cancellationToken), operation);

        await ec2.Api.DryRunAsync(session, region, operation, (client, t) => call(client, true, t), cancellationToken);
        var current = (await ec2.DescribeInstancesAsync(session, region, instanceIds, cancellationToken)).ToDictionary(i => i.InstanceId, StringComparer.Ordinal);
        return instanceIds.Select(id => current.TryGetValue(id, out var instance)
            ? wouldChange(instance)
            : throw new CloudException(CloudErrorCodes.NotFound, $"The instance ID '{id}' does not exist.") { ProviderCode = "InvalidInstanceID.NotFound", Operation = CloudActions.DescribeInstances })
            .ToList();
    }

    /// <summary>
    /// Spot interruptions from the Spot requests whose status moved to an interruption code at or after
    /// <paramref name="since"/> (DescribeSpotInstanceRequests keeps closed requests for a few hours). The notice time is
    /// the status update; a <c>marked-for-*</c> status acts two minutes later, a terminal one has acted already.
    /// Rebalance recommendations are published by no EC2 API (only instance metadata and EventBridge): they reach the
    /// product from the in-cluster agent (<c>POST /api/agent/interruptions</c>), never from here.
    /// </summary>
    public async Task<IReadOnlyList<InterruptionNotice>> GetInterruptionNoticesAsync(CloudSession session, string region, DateTimeOffset since,
        CancellationToken cancellationToken = default)
    {
        var requests = await ec2.Api.ListAsync(session, region, CloudActions.DescribeSpotInstanceRequests,
            (client, token, t) => client.DescribeSpotInstanceRequestsAsync(new DescribeSpotInstanceRequestsRequest
            {
                Filters = [new Filter("status-code", [.. InterruptionStatusCodes])],
                MaxResults = 1000,
                NextToken = token,
            }, t),
            response => (SpotRequests(response), response.NextToken), cancellationToken);
        return requests
            .Where(r => r.UpdateTime >= since && InterruptionStatusCodes.Contains(r.StatusCode))
            .Select(r => new InterruptionNotice(r.InstanceId, r.InstanceType, r.AvailabilityZone, InterruptionKind.Interruption, r.UpdateTime,
                r.StatusCode.StartsWith("marked-for-", StringComparison.Ordinal) ? r.UpdateTime + InterruptionWarning : r.UpdateTime))
            .OrderBy(n => n.NoticeTime)
            .ToList();
    }

    /// <summary>The requests that launched an instance (one that never launched has nothing to interrupt).</summary>
    private static IEnumerable<SpotRequestStatus> SpotRequests(DescribeSpotInstanceRequestsResponse response) =>
        (response.SpotInstanceRequests ?? [])
            .Where(r => r.InstanceId is { Length: > 0 })
            .Select(r => new SpotRequestStatus(
                r.InstanceId,
                r.LaunchSpecification?.InstanceType?.Value ?? "",
                r.LaunchedAvailabilityZone ?? r.LaunchSpecification?.Placement?.AvailabilityZone ?? "",
                r.Status?.Code ?? "",
                Ec2Model.Utc(r.Status?.UpdateTime) ?? throw Ec2Model.Malformed(CloudActions.DescribeSpotInstanceRequests, "a status without updateTime")))
            .ToList();
}

/// <summary>A Spot request as far as interruptions need it: whose instance, which pool, which status since when.</summary>
internal sealed record SpotRequestStatus(string InstanceId, string InstanceType, string AvailabilityZone, string StatusCode, DateTimeOffset UpdateTime);

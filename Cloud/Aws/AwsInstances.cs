using System.Globalization;
using static SpotOptimizer.Cloud.Aws.AwsQueryApi;

namespace SpotOptimizer.Cloud.Aws;

/// <summary>
/// Launch, stop, start and terminate instances (EC2 RunInstances / StopInstances / StartInstances / TerminateInstances),
/// Spot interruptions from the Spot requests.
/// </summary>
internal sealed class AwsInstances(AwsEc2 ec2) : IInstanceLifecycle
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

    /// <summary>
    /// RunInstances with the node group's launch template (its default version) for the image, network and role: the
    /// request carries no image of its own, so a launch without a template is refused by EC2 (<c>MissingParameter</c>).
    /// A repeated client token makes EC2 answer the first launch's instances instead of launching again.
    /// </summary>
    public async Task<LaunchResult> RunInstancesAsync(CloudSession session, string region, LaunchRequest request, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(request.ClientToken) || request.ClientToken.Length > 64)
            throw new CloudException(CloudErrorCodes.InvalidRequest, "The client token must be 1–64 characters.");
        if (request.Count < 1) throw new CloudException(CloudErrorCodes.InvalidRequest, "Count must be at least 1.");
        var count = request.Count.ToString(CultureInfo.InvariantCulture);
        List<KeyValuePair<string, string>> parameters =
        [
            new("ClientToken", request.ClientToken),
            new("InstanceType", request.InstanceType),
            new("Placement.AvailabilityZone", request.AvailabilityZone),
            new("MinCount", count),
            new("MaxCount", count),
        ];
        if (request.Lifecycle == InstanceLifecycle.Spot)
        {
            // One-time and terminate: an interrupted node is replaced by the optimizer, never resumed by EC2.
            parameters.AddRange([
                new("InstanceMarketOptions.MarketType", "spot"),
                new("InstanceMarketOptions.SpotOptions.SpotInstanceType", "one-time"),
                new("InstanceMarketOptions.SpotOptions.InstanceInterruptionBehavior", "terminate"),
            ]);
        }

        if (request.LaunchTemplateName is { Length: > 0 } template)
            parameters.AddRange([new("LaunchTemplate.LaunchTemplateName", template), new("LaunchTemplate.Version", "$Default")]);
        if (request.Tags.Count > 0)
        {
            parameters.Add(new("TagSpecification.1.ResourceType", "instance"));
            var n = 0;
            foreach (var (key, value) in request.Tags.OrderBy(t => t.Key, StringComparer.Ordinal))
            {
                var prefix = $"TagSpecification.1.Tag.{(++n).ToString(CultureInfo.InvariantCulture)}";
                parameters.AddRange([new(prefix + ".Key", key), new(prefix + ".Value", value)]);
            }
        }

        if (request.DryRun)
        {
            await ec2.Api.DryRunAsync(session, region, CloudActions.RunInstances, parameters, cancellationToken);
            return new LaunchResult([], DryRun: true);
        }

        var body = await ec2.Api.InvokeAsync(session, region, CloudActions.RunInstances, parameters, cancellationToken);
        return new LaunchResult(Ec2InstancesXml.ParseReservation(body), DryRun: false);
    }

    /// <summary>
    /// TerminateInstances. A dry run tells only that the call would be allowed, so the would-be changes are read from
    /// DescribeInstances, as the simulator reports them: live instances go to shutting-down, terminated ones stay.
    /// </summary>
    public async Task<TerminateResult> TerminateInstancesAsync(CloudSession session, string region, IReadOnlyList<string> instanceIds, bool dryRun,
        CancellationToken cancellationToken = default) =>
        new(await ChangeStatesAsync(session, region, CloudActions.TerminateInstances, instanceIds, dryRun,
            i => new InstanceStateChange(i.InstanceId, i.State, i.State == InstanceState.Terminated ? i.State : InstanceState.ShuttingDown), cancellationToken), dryRun);

    /// <summary>StopInstances; a dry run answers what <see cref="InstanceTransitions.Stop"/> says of the instances' states now.</summary>
    public Task<IReadOnlyList<InstanceStateChange>> StopInstancesAsync(CloudSession session, string region, IReadOnlyList<string> instanceIds, bool dryRun,
        CancellationToken cancellationToken = default) =>
        ChangeStatesAsync(session, region, CloudActions.StopInstances, instanceIds, dryRun, InstanceTransitions.Stop, cancellationToken);

    /// <summary>StartInstances; a dry run answers what <see cref="InstanceTransitions.Start"/> says of the instances' states now.</summary>
    public Task<IReadOnlyList<InstanceStateChange>> StartInstancesAsync(CloudSession session, string region, IReadOnlyList<string> instanceIds, bool dryRun,
        CancellationToken cancellationToken = default) =>
        ChangeStatesAsync(session, region, CloudActions.StartInstances, instanceIds, dryRun, InstanceTransitions.Start, cancellationToken);

    /// <summary>
    /// One of the state-changing calls (TerminateInstances, StopInstances, StartInstances). A dry run tells only that the
    /// call would be allowed, so the would-be changes are read from DescribeInstances and <paramref name="wouldChange"/>,
    /// as the simulator reports them; an unknown instance is not found, as the call itself would answer.
    /// </summary>
    private async Task<IReadOnlyList<InstanceStateChange>> ChangeStatesAsync(CloudSession session, string region, string operation, IReadOnlyList<string> instanceIds,
        bool dryRun, Func<Ec2Instance, InstanceStateChange> wouldChange, CancellationToken cancellationToken)
    {
        if (instanceIds.Count == 0) return [];
        var parameters = Indexed("InstanceId", instanceIds).ToList();
        if (!dryRun) return Ec2StateChangesXml.Parse(await ec2.Api.InvokeAsync(session, region, operation, parameters, cancellationToken), operation);

        await ec2.Api.DryRunAsync(session, region, operation, parameters, cancellationToken);
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
        List<KeyValuePair<string, string>> parameters = [new("Filter.1.Name", "status-code"), .. Indexed("Filter.1.Value", InterruptionStatusCodes), new("MaxResults", "1000")];
        var requests = await ec2.Api.ListAsync(session, region, CloudActions.DescribeSpotInstanceRequests, parameters, SpotRequestsXml.ParsePage, cancellationToken);
        return requests
            .Where(r => r.UpdateTime >= since && InterruptionStatusCodes.Contains(r.StatusCode))
            .Select(r => new InterruptionNotice(r.InstanceId, r.InstanceType, r.AvailabilityZone, InterruptionKind.Interruption, r.UpdateTime,
                r.StatusCode.StartsWith("marked-for-", StringComparison.Ordinal) ? r.UpdateTime + InterruptionWarning : r.UpdateTime))
            .OrderBy(n => n.NoticeTime)
            .ToList();
    }
}

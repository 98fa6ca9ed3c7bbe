using System.Net;
using Amazon.EC2;
using Amazon.EC2.Model;

namespace SpotOptimizer.Cloud.Aws;

/// <summary>
/// Launches through EC2 CreateFleet of type <c>instant</c>: one synchronous call that tries the request's pools (one
/// launch-template override per pool: its instance type in the node group's subnet of its zone) and answers what it
/// launched and why the rest failed. Spot picks with <c>price-capacity-optimized</c> (cheap pools deep in capacity, the
/// interruption-aware choice), On-Demand with <c>lowest-price</c>.
/// </summary>
internal sealed class AwsFleet(AwsEc2 ec2, TimeProvider time)
{
    public async Task<LaunchResult> LaunchAsync(CloudSession session, string region, LaunchRequest request, CancellationToken cancellationToken)
    {
        var fleet = Request(request);
        if (request.DryRun)
        {
            await ec2.Api.DryRunAsync(session, region, CloudActions.CreateFleet, (client, t) => client.CreateFleetAsync(fleet, t), cancellationToken);
            return new LaunchResult([], DryRun: true);
        }

        // An instant fleet that launched nothing answers 200 with its errors: counted as the failure it is, not a success.
        var response = await ec2.Api.CallAsync(session, region, CloudActions.CreateFleet, (client, t) => client.CreateFleetAsync(fleet, t), cancellationToken,
            outcomeOf: r => Launched(r).Count == 0 ? Failure(r.Errors ?? []).Code : null);
        var launched = Launched(response);
        if (launched.Count == 0) throw Failure(response.Errors ?? []);
        return new LaunchResult(await DescribeAsync(session, region, request, launched, cancellationToken), DryRun: false);
    }

    private static List<(string Id, CreateFleetInstance Launch)> Launched(CreateFleetResponse response) =>
        [.. (response.Instances ?? []).SelectMany(i => (i.InstanceIds ?? []).Select(id => (Id: id, Launch: i)))];

    /// <summary>The CreateFleet request; refused before calling when it cannot be right.</summary>
    internal static CreateFleetRequest Request(LaunchRequest request)
    {
        if (string.IsNullOrEmpty(request.ClientToken) || request.ClientToken.Length > 64)
            throw new CloudException(CloudErrorCodes.InvalidRequest, "The client token must be 1–64 characters.");
        if (request.Count < 1) throw new CloudException(CloudErrorCodes.InvalidRequest, "Count must be at least 1.");
        var template = Template(request);
        var spot = request.Lifecycle == InstanceLifecycle.Spot;
        var fleet = new CreateFleetRequest
        {
            Type = FleetType.Instant,
            ClientToken = request.ClientToken,
            TargetCapacitySpecification = new TargetCapacitySpecificationRequest
            {
                TotalTargetCapacity = request.Count,
                DefaultTargetCapacityType = spot ? DefaultTargetCapacityType.Spot : DefaultTargetCapacityType.OnDemand,
            },
            LaunchTemplateConfigs = [new FleetLaunchTemplateConfigRequest { LaunchTemplateSpecification = template, Overrides = Overrides(request) }],
        };
        if (spot)
        {
            // Terminate on interruption: the optimizer replaces an interrupted node, EC2 never resumes it.
            fleet.SpotOptions = new SpotOptionsRequest
            {
                AllocationStrategy = SpotAllocationStrategy.PriceCapacityOptimized,
                InstanceInterruptionBehavior = SpotInstanceInterruptionBehavior.Terminate,
            };
        }
        else
        {
            fleet.OnDemandOptions = new OnDemandOptionsRequest { AllocationStrategy = FleetOnDemandAllocationStrategy.LowestPrice };
        }

        if (request.Tags.Count > 0)
        {
            fleet.TagSpecifications =
            [
                new TagSpecification
                {
                    ResourceType = ResourceType.Instance,
                    Tags = [.. request.Tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => new Tag(t.Key, t.Value))],
                },
            ];
        }

        // Only a dry run carries the flag: false would be sent as DryRun=false, which EC2 accepts but the wire need not say.
        if (request.DryRun) fleet.DryRun = true;
        return fleet;
    }

    /// <summary>The node group's template (by id, else by name) at its pinned version, else a named template's default version.</summary>
    private static FleetLaunchTemplateSpecificationRequest Template(LaunchRequest request) => request switch
    {
        { LaunchTemplate: { Id: { Length: > 0 } id } t } => new() { LaunchTemplateId = id, Version = Version(t.Version) },
        { LaunchTemplate: { Name: { Length: > 0 } name } t } => new() { LaunchTemplateName = name, Version = Version(t.Version) },
        { LaunchTemplateName: { Length: > 0 } name } => new() { LaunchTemplateName = name, Version = "$Default" },
        // EC2 has no image, role or network for the node without one: say why rather than let CreateFleet refuse it.
        _ => throw new CloudException(CloudErrorCodes.InvalidRequest,
            "The node group has no launch template (or the launch named no node group): AWS launches a node only from its node group's launch template.")
        {
            Operation = CloudActions.CreateFleet,
        },
    };

    private static string Version(string? version) => string.IsNullOrEmpty(version) ? "$Default" : version;

    /// <summary>
    /// One override per pool. With the node group's subnets known each pool goes to its zone's subnet (the node group's
    /// VPC), and a pool in a zone the node group has no subnet in is left out; without them, the zone alone is named.
    /// </summary>
    private static List<FleetLaunchTemplateOverridesRequest> Overrides(LaunchRequest request)
    {
        var pools = request.AllPools;
        if (request.SubnetIds.Count == 0)
            return [.. pools.Select(p => new FleetLaunchTemplateOverridesRequest { InstanceType = p.InstanceType, AvailabilityZone = p.AvailabilityZone })];
        var overrides = pools
            .Where(p => request.SubnetIds.ContainsKey(p.AvailabilityZone))
            .Select(p => new FleetLaunchTemplateOverridesRequest { InstanceType = p.InstanceType, SubnetId = request.SubnetIds[p.AvailabilityZone] })
            .ToList();
        return overrides.Count > 0
            ? overrides
            : throw new CloudException(CloudErrorCodes.InvalidRequest,
                $"The node group has no subnet in {string.Join(", ", pools.Select(p => p.AvailabilityZone).Distinct())}.") { Operation = CloudActions.CreateFleet };
    }

    /// <summary>
    /// Nothing launched: the most telling of EC2's per-pool errors (capacity and limits first: the caller falls back to
    /// another pool for those) with every pool's reason in the message.
    /// </summary>
    private static CloudException Failure(IReadOnlyList<CreateFleetError> errors)
    {
        if (errors.Count == 0)
            return new CloudException(CloudErrorCodes.CloudError, "CreateFleet launched nothing and reported no error.") { Operation = CloudActions.CreateFleet };
        var mapped = errors
            .Select(e => AwsErrors.ToCloudException(new AwsError(e.ErrorCode ?? "Unknown", e.ErrorMessage ?? ""), HttpStatusCode.OK, CloudActions.CreateFleet))
            .ToList();
        var first = mapped.FirstOrDefault(e => e.Code == CloudErrorCodes.InsufficientCapacity) ?? mapped[0];
        var detail = string.Join("; ", errors.Select(e =>
            $"{e.LaunchTemplateAndOverrides?.Overrides?.InstanceType?.Value ?? "?"} in {e.LaunchTemplateAndOverrides?.Overrides?.AvailabilityZone ?? e.LaunchTemplateAndOverrides?.Overrides?.SubnetId ?? "?"}: {e.ErrorCode}: {e.ErrorMessage}"));
        return new CloudException(first.Code, $"CreateFleet launched nothing: {detail}", first.Retryable) { ProviderCode = first.ProviderCode, Operation = CloudActions.CreateFleet };
    }

    /// <summary>
    /// The launched instances as DescribeInstances tells them. EC2's reads are eventually consistent: an instance id
    /// CreateFleet just answered may not be found yet, so then the instances are told from the fleet's own answer
    /// (pending, the request's tags) rather than failing a launch that happened.
    /// </summary>
    private async Task<IReadOnlyList<Ec2Instance>> DescribeAsync(CloudSession session, string region, LaunchRequest request,
        List<(string Id, CreateFleetInstance Launch)> launched, CancellationToken cancellationToken)
    {
        try
        {
            var described = (await ec2.DescribeInstancesAsync(session, region, [.. launched.Select(l => l.Id)], cancellationToken))
                .ToDictionary(i => i.InstanceId, StringComparer.Ordinal);
            if (launched.All(l => described.ContainsKey(l.Id))) return [.. launched.Select(l => described[l.Id])];
        }
        catch (CloudException e) when (e.Code == CloudErrorCodes.NotFound)
        {
            // Not visible yet: fall through to the fleet's answer.
        }

        return [.. launched.Select(l => new Ec2Instance(
            l.Id,
            l.Launch.InstanceType?.Value ?? request.InstanceType,
            l.Launch.AvailabilityZone ?? l.Launch.LaunchTemplateAndOverrides?.Overrides?.AvailabilityZone ?? request.SubnetIds.FirstOrDefault(s => s.Value == l.Launch.SubnetId).Key ?? request.AvailabilityZone,
            l.Launch.Lifecycle?.Value == "spot" ? InstanceLifecycle.Spot : request.Lifecycle,
            InstanceState.Pending,
            time.GetUtcNow(),
            "",
            request.Tags))];
    }
}

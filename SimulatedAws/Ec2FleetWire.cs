using SpotOptimizer.Cloud;
using static SpotOptimizer.SimulatedAws.QueryXml;

namespace SpotOptimizer.SimulatedAws;

/// <summary>
/// CreateFleet of type <c>instant</c> (the only type the product uses; <c>maintain</c> and <c>request</c> fleets keep
/// state the simulator does not model and are refused). The capacity is launched through the simulated cloud's
/// RunInstances, pool by pool: the overrides by their <c>Priority</c>, then as listed (the caller lists its pools best
/// first), the whole remaining capacity in the first pool that has it; a pool that cannot serve it (no capacity, not
/// one of the account's zones) goes into the answer's <c>errorSet</c> as on AWS, and the next is tried.
/// </summary>
internal static class Ec2FleetWire
{
    /// <summary>The tag EC2 puts on an instance a fleet launched.</summary>
    private const string FleetIdTag = "aws:ec2:fleet-id";

    private sealed record Pool(string? TemplateId, string? TemplateName, string? TemplateVersion, string InstanceType, string? AvailabilityZone, string? SubnetId, double Priority, int Order);

    public static async Task<WireReply> CreateAsync(Ec2Call call)
    {
        var parameters = call.Parameters;
        var type = parameters.Get("Type") ?? "maintain";
        if (type != "instant") throw call.Invalid($"The fleet type '{type}' is not supported by the simulator: only instant fleets are.");
        var target = parameters.Int("TargetCapacitySpecification.TotalTargetCapacity")
            ?? throw new AwsWireException(400, "MissingParameter", "The request must contain the parameter TargetCapacitySpecification.TotalTargetCapacity");
        if (target < 1) throw call.Invalid("TotalTargetCapacity must be at least 1.");
        var lifecycle = parameters.Get("TargetCapacitySpecification.DefaultTargetCapacityType") switch
        {
            "spot" => InstanceLifecycle.Spot,
            "on-demand" => InstanceLifecycle.OnDemand,
            var other => throw call.Invalid($"Value ({other}) for parameter TargetCapacitySpecification.DefaultTargetCapacityType is invalid."),
        };
        var pools = Pools(parameters);
        if (parameters.Get("LaunchTemplateConfigs.1.LaunchTemplateSpecification.LaunchTemplateId") is null
            && parameters.Get("LaunchTemplateConfigs.1.LaunchTemplateSpecification.LaunchTemplateName") is null)
            throw new AwsWireException(400, "MissingParameter", "The request must contain the parameter LaunchTemplateConfigs");
        // The simulated cloud has no CreateFleet of its own (it launches through RunInstances): IAM's verdict on
        // ec2:CreateFleet, and on ec2:CreateTags for the launch's tags (ec2:CreateAction=CreateFleet), comes first.
        await call.Request.Cloud.AuthorizeAsync(call.Session, call.Region, CloudActions.CreateFleet, cancellationToken: call.Aborted);
        if (parameters.Groups("TagSpecification").Any())
            await call.Request.Cloud.AuthorizeAsync(call.Session, call.Region, CloudActions.CreateTags, createAction: "CreateFleet", call.Aborted);
        // The simulated launch templates carry no instance type: the pools are the overrides.
        if (pools.Count == 0)
            throw call.DryRun ? Ec2Call.DryRunSucceeded() : call.Invalid("The simulator's launch templates name no instance type: give the pools as Overrides.");
        var clientToken = parameters.Get("ClientToken") ?? Guid.NewGuid().ToString();
        var fleetId = "fleet-" + WireIds.Uuid($"{call.Session.AccountId}/{call.Region}/{clientToken}");
        var tags = new Dictionary<string, string>(parameters.Tags("instance"), StringComparer.Ordinal) { [FleetIdTag] = fleetId };
        var market = lifecycle == InstanceLifecycle.Spot ? "spot" : "on-demand";

        var errors = new List<object[]>();
        foreach (var (pool, index) in pools.Select((p, i) => (p, i)))
        {
            // Per pool, a token derived from the fleet's: a retried CreateFleet finds the same launches instead of repeating them.
            var launch = new LaunchRequest(WireIds.Ec2("fleet", $"{clientToken}/{index}"), pool.InstanceType, Zone(call, pool), lifecycle, target, tags,
                pool.TemplateName ?? pool.TemplateId, call.DryRun);
            try
            {
                var result = await call.Request.Cloud.Instances.RunInstancesAsync(call.Session, call.Region, launch, call.Aborted);
                if (result.DryRun) throw Ec2Call.DryRunSucceeded();
                return WireReply.Xml(200, Ec2Response("CreateFleet", call.Request.RequestId,
                    Ec2("fleetId", fleetId),
                    Ec2Set("errorSet", errors),
                    Ec2Set("fleetInstanceSet", [new object[]
                    {
                        LaunchTemplateAndOverrides(pool),
                        Ec2("lifecycle", market),
                        Ec2Set("instanceIds", result.Instances.Select(i => i.InstanceId)),
                        Ec2("instanceType", pool.InstanceType),
                        // An instant fleet names the zone it launched in (the product reads it before the override's).
                        Ec2("availabilityZone", result.Instances.Select(i => i.AvailabilityZone).FirstOrDefault() ?? launch.AvailabilityZone),
                    }])));
            }
            catch (CloudException e) when (e.Code is CloudErrorCodes.InsufficientCapacity or CloudErrorCodes.InvalidRequest or CloudErrorCodes.NotFound)
            {
                var wire = WireErrors.From(AwsService.Ec2, e);
                errors.Add([LaunchTemplateAndOverrides(pool), Ec2("lifecycle", market), Ec2("errorCode", wire.Code), Ec2("errorMessage", wire.Message)]);
            }
        }

        // No pool could launch: an instant fleet still answers 200, with every pool's error and no instances.
        return WireReply.Xml(200, Ec2Response("CreateFleet", call.Request.RequestId, Ec2("fleetId", fleetId), Ec2Set("errorSet", errors), Ec2("fleetInstanceSet")));
    }

    /// <summary>Every override of every launch template config, in the order they are tried.</summary>
    private static List<Pool> Pools(QueryParameters parameters)
    {
        var pools = new List<Pool>();
        foreach (var config in parameters.Groups("LaunchTemplateConfigs"))
        {
            var id = config.Get("LaunchTemplateSpecification.LaunchTemplateId");
            var name = config.Get("LaunchTemplateSpecification.LaunchTemplateName");
            if (id is null && name is null)
                throw new AwsWireException(400, "MissingParameter", "The request must contain the parameter LaunchTemplateSpecification.LaunchTemplateId or LaunchTemplateName");
            var version = config.Get("LaunchTemplateSpecification.Version");
            foreach (var o in config.Groups("Overrides"))
            {
                var priority = double.TryParse(o.Get("Priority"), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var p)
                    ? p
                    : double.MaxValue;
                pools.Add(new Pool(id, name, version, o.Required("InstanceType"), o.Get("AvailabilityZone"), o.Get("SubnetId"), priority, pools.Count));
            }
        }

        return [.. pools.OrderBy(p => p.Priority).ThenBy(p => p.Order)];
    }

    /// <summary>The override's zone: its own, else its subnet's.</summary>
    private static string Zone(Ec2Call call, Pool pool) =>
        pool.AvailabilityZone ?? (pool.SubnetId is { } subnet
            ? Ec2NetworkWire.ZoneOfSubnet(call, subnet)
            : throw call.Invalid($"The override for {pool.InstanceType} names neither an AvailabilityZone nor a SubnetId."));

    private static object LaunchTemplateAndOverrides(Pool pool) => Ec2("launchTemplateAndOverrides",
        Ec2("launchTemplateSpecification",
            pool.TemplateId is null ? null : Ec2("launchTemplateId", pool.TemplateId),
            pool.TemplateName is null ? null : Ec2("launchTemplateName", pool.TemplateName),
            pool.TemplateVersion is null ? null : Ec2("version", pool.TemplateVersion)),
        Ec2("overrides",
            Ec2("instanceType", pool.InstanceType),
            pool.SubnetId is null ? null : Ec2("subnetId", pool.SubnetId),
            pool.AvailabilityZone is null ? null : Ec2("availabilityZone", pool.AvailabilityZone),
            pool.Priority == double.MaxValue ? null : Ec2("priority", pool.Priority.ToString(System.Globalization.CultureInfo.InvariantCulture))));
}

using System.Text.RegularExpressions;
using System.Xml.Linq;
using SpotOptimizer.Cloud;
using static SpotOptimizer.SimulatedAws.QueryXml;

namespace SpotOptimizer.SimulatedAws;

/// <summary>DescribeInstances (filters, paging), RunInstances, and the state changes Terminate/Stop/StartInstances.</summary>
internal static partial class Ec2InstancesWire
{
    /// <summary>The image every simulated instance reports: the simulated world keeps no AMIs.</summary>
    private const string SimulatedImage = "ami-0abcdef1234567890";

    public static async Task<WireReply> DescribeAsync(Ec2Call call)
    {
        var ids = call.Parameters.List("InstanceId");
        var max = call.Parameters.Int("MaxResults");
        if (ids.Count > 0 && max is not null)
            throw new AwsWireException(400, "InvalidParameterCombination", "The parameter instancesSet cannot be used with the parameter maxResults");
        if (max is < 5 or > 1000) throw call.Invalid($"Value ( {max} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.");
        var filters = call.Parameters.Filters();

        var instances = await call.Request.Cloud.Ec2.DescribeInstancesAsync(call.Session, call.Region, call.Aborted);
        if (ids.Count > 0)
        {
            var missing = ids.Where(id => instances.All(i => i.InstanceId != id)).ToList();
            if (missing.Count == 1) throw new AwsWireException(400, "InvalidInstanceID.NotFound", $"The instance ID '{missing[0]}' does not exist");
            if (missing.Count > 1) throw new AwsWireException(400, "InvalidInstanceID.NotFound", $"The instance IDs '{string.Join(", ", missing)}' do not exist");
            instances = instances.Where(i => ids.Contains(i.InstanceId)).ToList();
        }

        var matching = instances.Where(i => filters.All(f => Matches(i, f.Name, f.Values, call))).ToList();
        var (page, next) = WirePaging.Page(matching, max ?? int.MaxValue, call.Parameters.Get("NextToken"), call.Invalid);
        return call.Answer(WireReply.Xml(200, Ec2Response("DescribeInstances", call.Request.RequestId,
            Ec2("reservationSet", page.Select(i => Reservation([i], call.Session.AccountId, ReservationId(i.InstanceId)))),
            next is null ? null : Ec2("nextToken", next))));
    }

    /// <summary>
    /// RunInstances with the image, network and role of a launch template (EC2 needs one of them or an image); a Spot
    /// request through <c>InstanceMarketOptions.MarketType=spot</c>. A repeated client token answers the first launch.
    /// </summary>
    public static async Task<WireReply> RunAsync(Ec2Call call)
    {
        var parameters = call.Parameters;
        var min = parameters.Int("MinCount") ?? throw new AwsWireException(400, "MissingParameter", "The request must contain the parameter MinCount");
        var max = parameters.Int("MaxCount") ?? throw new AwsWireException(400, "MissingParameter", "The request must contain the parameter MaxCount");
        if (min < 1 || max < min) throw call.Invalid($"MinCount ({min}) must be at least 1 and at most MaxCount ({max}).");
        var template = parameters.Get("LaunchTemplate.LaunchTemplateName") ?? parameters.Get("LaunchTemplate.LaunchTemplateId");
        if (template is null && parameters.Get("ImageId") is null)
            throw new AwsWireException(400, "MissingParameter", "The request must contain the parameter ImageId");
        var zone = parameters.Get("Placement.AvailabilityZone")
            ?? (parameters.Get("SubnetId") is { } subnet ? Ec2NetworkWire.ZoneOfSubnet(call, subnet) : null)
            ?? Ec2NetworkWire.DefaultZone(call);
        var lifecycle = parameters.Get("InstanceMarketOptions.MarketType") switch
        {
            null => InstanceLifecycle.OnDemand,
            "spot" => InstanceLifecycle.Spot,
            var other => throw call.Invalid($"Value ({other}) for parameter InstanceMarketOptions.MarketType is invalid."),
        };
        var launch = new LaunchRequest(
            parameters.Get("ClientToken") ?? Guid.NewGuid().ToString(),
            parameters.Required("InstanceType"),
            zone,
            lifecycle,
            max,
            parameters.Tags("instance"),
            template,
            call.DryRun);
        // The launch's tags are IAM's ec2:CreateTags with ec2:CreateAction=RunInstances, judged before anything launches.
        if (parameters.Groups("TagSpecification").Any())
            await call.Request.Cloud.AuthorizeAsync(call.Session, call.Region, CloudActions.CreateTags, createAction: "RunInstances", call.Aborted);
        var result = await call.Request.Cloud.Instances.RunInstancesAsync(call.Session, call.Region, launch, call.Aborted);
        if (result.DryRun) throw Ec2Call.DryRunSucceeded();
        var reservation = ReservationId(launch.ClientToken);
        return WireReply.Xml(200, Ec2Response("RunInstances", call.Request.RequestId, Reservation(result.Instances, call.Session.AccountId, reservation).Nodes()));
    }

    public static async Task<WireReply> ChangeStatesAsync(Ec2Call call, string operation)
    {
        var ids = call.Parameters.List("InstanceId");
        if (ids.Count == 0) throw new AwsWireException(400, "MissingParameter", "The request must contain the parameter InstanceId");
        var instances = call.Request.Cloud.Instances;
        var changes = operation switch
        {
            CloudActions.TerminateInstances => (await instances.TerminateInstancesAsync(call.Session, call.Region, ids, call.DryRun, call.Aborted)).Changes,
            CloudActions.StopInstances => await instances.StopInstancesAsync(call.Session, call.Region, ids, call.DryRun, call.Aborted),
            _ => await instances.StartInstancesAsync(call.Session, call.Region, ids, call.DryRun, call.Aborted),
        };
        if (call.DryRun) throw Ec2Call.DryRunSucceeded();
        var action = operation[(operation.IndexOf(':', StringComparison.Ordinal) + 1)..];
        return WireReply.Xml(200, Ec2Response(action, call.Request.RequestId,
            Ec2Set("instancesSet", changes.Select(c => new object[]
            {
                Ec2("instanceId", c.InstanceId),
                Ec2("currentState", State(c.Current)),
                Ec2("previousState", State(c.Previous)),
            }))));
    }

    /// <summary>A reservation item (or, for RunInstances, the answer's body): id, owner, groups, instances.</summary>
    public static XElement Reservation(IEnumerable<Ec2Instance> instances, string accountId, string reservationId) =>
        Ec2("item",
            Ec2("reservationId", reservationId),
            Ec2("ownerId", accountId),
            Ec2("groupSet"),
            Ec2Set("instancesSet", instances.Select(Instance)));

    /// <summary>
    /// One instance item in the order of the reference's example. Values the simulated world does not model (image,
    /// network, architecture) are fixed and plausible; what the product reads is the world's own.
    /// </summary>
    public static object?[] Instance(Ec2Instance instance) =>
    [
        Ec2("instanceId", instance.InstanceId),
        Ec2("imageId", SimulatedImage),
        Ec2("instanceState", State(instance.State)),
        Ec2("privateDnsName", instance.PrivateDnsName),
        Ec2("dnsName"),
        Ec2("reason"),
        Ec2("amiLaunchIndex", "0"),
        Ec2("productCodes"),
        Ec2("instanceType", instance.InstanceType),
        Ec2("launchTime", Time(instance.LaunchTime)),
        Ec2("placement", Ec2("availabilityZone", instance.AvailabilityZone), Ec2("groupName"), Ec2("tenancy", "default")),
        Ec2("monitoring", Ec2("state", "disabled")),
        Ec2("groupSet"),
        Ec2("architecture", Graviton().IsMatch(instance.InstanceType) ? "arm64" : "x86_64"),
        Ec2("rootDeviceType", "ebs"),
        instance.RootDeviceName is { } root ? Ec2("rootDeviceName", root) : null,
        Ec2("blockDeviceMapping"),
        instance.Lifecycle == InstanceLifecycle.Spot ? Ec2("instanceLifecycle", "spot") : null,
        Ec2("virtualizationType", "hvm"),
        Ec2Set("tagSet", instance.Tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => new object[] { Ec2("key", t.Key), Ec2("value", t.Value) })),
        Ec2("hypervisor", "xen"),
    ];

    public static object[] State(InstanceState state) =>
    [
        Ec2("code", Number(state switch
        {
            InstanceState.Pending => 0,
            InstanceState.Running => 16,
            InstanceState.ShuttingDown => 32,
            InstanceState.Terminated => 48,
            InstanceState.Stopping => 64,
            _ => 80,
        })),
        Ec2("name", StateName(state)),
    ];

    private static string StateName(InstanceState state) => state switch
    {
        InstanceState.Pending => "pending",
        InstanceState.Running => "running",
        InstanceState.ShuttingDown => "shutting-down",
        InstanceState.Terminated => "terminated",
        InstanceState.Stopping => "stopping",
        _ => "stopped",
    };

    private static string ReservationId(string seed) => WireIds.Ec2("r-", seed);

    /// <summary>The DescribeInstances filters the product (or a person with the AWS CLI) uses; others are refused as EC2 refuses unknown ones.</summary>
    private static bool Matches(Ec2Instance instance, string name, IReadOnlyList<string> values, Ec2Call call)
    {
        IEnumerable<string> candidates = name switch
        {
            "instance-id" => [instance.InstanceId],
            "instance-state-name" => [StateName(instance.State)],
            "instance-type" => [instance.InstanceType],
            "availability-zone" => [instance.AvailabilityZone],
            "instance-lifecycle" => instance.Lifecycle == InstanceLifecycle.Spot ? ["spot"] : [],
            "private-dns-name" => [instance.PrivateDnsName],
            "tag-key" => instance.Tags.Keys,
            _ when name.StartsWith("tag:", StringComparison.Ordinal) => instance.Tags.TryGetValue(name[4..], out var tag) ? [tag] : [],
            _ => throw call.Invalid($"The filter '{name}' is invalid"),
        };
        return candidates.Any(c => values.Any(v => Wildcard(v).IsMatch(c)));
    }

    /// <summary>EC2 filter values take <c>*</c> (any run) and <c>?</c> (one character).</summary>
    public static Regex Wildcard(string value) =>
        new("^" + Regex.Escape(value).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$",
            RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromSeconds(1));

    [GeneratedRegex(@"^[a-z]+\d+[a-z]*g[a-z]*\.", RegexOptions.CultureInvariant)]
    private static partial Regex Graviton();
}

using SpotOptimizer.Cloud;

namespace SpotOptimizer.SimulatedAws;

/// <summary>
/// EC2 (Query, Version 2016-11-15): each action dispatched to the simulated cloud's operation. <c>DryRun=true</c> runs
/// the operation's own dry run (permission and validity checked, nothing changed) and answers as EC2 does: 412
/// <c>DryRunOperation</c> when the call would have succeeded, the error otherwise (403 <c>UnauthorizedOperation</c>).
/// </summary>
internal static class Ec2Wire
{
    public const string Version = "2016-11-15";

    public static async Task<WireReply> HandleAsync(WireRequest request)
    {
        var parameters = QueryParameters.Parse(request.Body);
        // The platform's own account reads the public market (prices, its zones) as any AWS account may; nothing else.
        if (request.Session is null && parameters.Action is "DescribeSpotPriceHistory" or "DescribeAvailabilityZones")
        {
            return parameters.Action == "DescribeSpotPriceHistory"
                ? await Ec2MarketWire.PublicPricesAsync(request, parameters)
                : Ec2NetworkWire.PublicZones(request, parameters);
        }

        var session = request.RequireSession(AwsService.Ec2);
        var call = new Ec2Call(request, session, parameters);
        try
        {
            return parameters.Action switch
            {
                "DescribeInstances" => await Ec2InstancesWire.DescribeAsync(call),
                "RunInstances" => await Ec2InstancesWire.RunAsync(call),
                "TerminateInstances" => await Ec2InstancesWire.ChangeStatesAsync(call, CloudActions.TerminateInstances),
                "StopInstances" => await Ec2InstancesWire.ChangeStatesAsync(call, CloudActions.StopInstances),
                "StartInstances" => await Ec2InstancesWire.ChangeStatesAsync(call, CloudActions.StartInstances),
                "CreateFleet" => await Ec2FleetWire.CreateAsync(call),
                "CreateTags" => await CreateTagsAsync(call),
                "DescribeVolumes" => await Ec2VolumesWire.DescribeAsync(call),
                "AttachVolume" => await Ec2VolumesWire.AttachAsync(call),
                "DetachVolume" => await Ec2VolumesWire.DetachAsync(call),
                "DescribeSpotPriceHistory" => await Ec2MarketWire.PriceHistoryAsync(call),
                "DescribeSpotInstanceRequests" => await Ec2MarketWire.SpotRequestsAsync(call),
                "GetSpotPlacementScores" => await Ec2PlacementWire.ScoresAsync(call),
                "DescribeAvailabilityZones" => await Ec2NetworkWire.ZonesAsync(call),
                "DescribeSubnets" => await Ec2NetworkWire.SubnetsAsync(call),
                var other => throw new AwsWireException(400, "InvalidAction", $"The action {other} is not valid for this web service."),
            };
        }
        catch (CloudException e)
        {
            throw WireErrors.From(AwsService.Ec2, e, NotFoundCode(parameters.Action));
        }
    }

    /// <summary>
    /// CreateTags on resources that exist: the customer's role may tag only within a launch (<c>ec2:CreateAction</c>), so
    /// IAM refuses it with <c>UnauthorizedOperation</c> before anything is read; the simulator keeps only a launch's tags.
    /// </summary>
    private static async Task<WireReply> CreateTagsAsync(Ec2Call call)
    {
        await call.Request.Cloud.AuthorizeAsync(call.Session, call.Region, CloudActions.CreateTags, cancellationToken: call.Aborted);
        throw call.DryRun ? Ec2Call.DryRunSucceeded() : new AwsWireException(400, "InvalidAction", "The simulator tags resources only at launch.");
    }

    /// <summary>EC2's not-found code for the resource an action names, when the simulator's error names none.</summary>
    private static string? NotFoundCode(string? action) => action switch
    {
        "DescribeVolumes" or "AttachVolume" or "DetachVolume" => "InvalidVolume.NotFound",
        "DescribeInstances" or "TerminateInstances" or "StopInstances" or "StartInstances" => "InvalidInstanceID.NotFound",
        _ => null,
    };
}

/// <summary>One EC2 call: the request, its session and its parameters.</summary>
internal sealed record Ec2Call(WireRequest Request, CloudSession Session, QueryParameters Parameters)
{
    public bool DryRun => Parameters.Flag("DryRun");

    public string Region => Request.Region;

    public CancellationToken Aborted => Request.Aborted;

    /// <summary>What EC2 answers a dry run that would have succeeded.</summary>
    public static AwsWireException DryRunSucceeded() => new(412, "DryRunOperation", "Request would have succeeded, but DryRun flag is set.");

    /// <summary>A read with <c>DryRun=true</c>: the read is made (it checks permission), then answered as a dry run.</summary>
    public WireReply Answer(WireReply reply) => DryRun ? throw DryRunSucceeded() : reply;

    public AwsWireException Invalid(string message) => new(400, "InvalidParameterValue", message);
}

using SpotOptimizer.Cloud;
using SpotOptimizer.Cloud.Simulation;
using static SpotOptimizer.SimulatedAws.QueryXml;

namespace SpotOptimizer.SimulatedAws;

/// <summary>DescribeAvailabilityZones (zone names with the account's zone IDs) and DescribeSubnets (one subnet per zone).</summary>
internal static class Ec2NetworkWire
{
    public static async Task<WireReply> ZonesAsync(Ec2Call call)
    {
        var zones = await call.Request.Cloud.Ec2.DescribeAvailabilityZonesAsync(call.Session, call.Region, call.Aborted);
        return call.Answer(ZonesReply(call.Request, zones, call.Parameters, call.Invalid));
    }

    /// <summary>The platform's own account's zones: the market view's, whose names its prices use.</summary>
    public static WireReply PublicZones(WireRequest request, QueryParameters parameters) =>
        ZonesReply(request, request.Cloud.PublicZones(request.Region), parameters, message => new AwsWireException(400, "InvalidParameterValue", message));

    private static WireReply ZonesReply(WireRequest request, IReadOnlyList<AvailabilityZone> zones, QueryParameters parameters, Func<string, AwsWireException> invalid)
    {
        var names = parameters.List("ZoneName");
        var ids = parameters.List("ZoneId");
        var filters = parameters.Filters();
        var matching = zones
            .Where(z => (names.Count == 0 || names.Contains(z.ZoneName)) && (ids.Count == 0 || ids.Contains(z.ZoneId)))
            .Where(z => filters.All(f => Matches(f.Values, f.Name switch
            {
                "zone-name" => z.ZoneName,
                "zone-id" => z.ZoneId,
                "region-name" => request.Region,
                "state" => "available",
                "zone-type" => "availability-zone",
                "opt-in-status" => "opt-in-not-required",
                _ => throw invalid($"The filter '{f.Name}' is invalid"),
            })))
            .ToList();
        return WireReply.Xml(200, Ec2Response("DescribeAvailabilityZones", request.RequestId,
            Ec2Set("availabilityZoneInfo", matching.Select(z => new object[]
            {
                Ec2("zoneName", z.ZoneName),
                Ec2("zoneState", "available"),
                Ec2("regionName", request.Region),
                Ec2("messageSet"),
                Ec2("zoneId", z.ZoneId),
                Ec2("optInStatus", "opt-in-not-required"),
                Ec2("groupName", request.Region),
                Ec2("networkBorderGroup", request.Region),
                Ec2("zoneType", "availability-zone"),
            }))));
    }

    public static async Task<WireReply> SubnetsAsync(Ec2Call call)
    {
        var ids = call.Parameters.List("SubnetId");
        var max = call.Parameters.Int("MaxResults");
        if (ids.Count > 0 && max is not null)
            throw new AwsWireException(400, "InvalidParameterCombination", "The parameter subnetIds cannot be used with the parameter maxResults");
        if (max is < 5 or > 1000) throw call.Invalid($"Value ( {max} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.");
        var filters = call.Parameters.Filters();
        var subnets = await call.Request.Cloud.Ec2.DescribeSubnetsAsync(call.Session, call.Region, ids, call.Aborted);
        var vpc = VpcId(call.Session.AccountId, call.Region);
        // One /19 per subnet of the VPC's 10.0.0.0/16, in the order the region lists them.
        var cidrs = subnets.Select((s, i) => (s.SubnetId, Cidr: $"10.0.{Number(32 * (i % 8))}.0/19")).ToDictionary(p => p.SubnetId, p => p.Cidr, StringComparer.Ordinal);
        var matching = subnets.Where(s => filters.All(f => Matches(f.Values, f.Name switch
        {
            "subnet-id" => s.SubnetId,
            "availability-zone" => s.AvailabilityZone,
            "availability-zone-id" => s.AvailabilityZoneId,
            "vpc-id" => vpc,
            "state" => "available",
            _ => throw call.Invalid($"The filter '{f.Name}' is invalid"),
        }))).ToList();
        var (page, next) = WirePaging.Page(matching, max ?? int.MaxValue, call.Parameters.Get("NextToken"), call.Invalid);
        return call.Answer(WireReply.Xml(200, Ec2Response("DescribeSubnets", call.Request.RequestId,
            Ec2Set("subnetSet", page.Select(s => new object[]
            {
                Ec2("subnetId", s.SubnetId),
                Ec2("subnetArn", $"arn:aws:ec2:{call.Region}:{call.Session.AccountId}:subnet/{s.SubnetId}"),
                Ec2("state", "available"),
                Ec2("ownerId", call.Session.AccountId),
                Ec2("vpcId", vpc),
                Ec2("cidrBlock", cidrs[s.SubnetId]),
                Ec2("ipv6CidrBlockAssociationSet"),
                Ec2("availableIpAddressCount", "8187"),
                Ec2("availabilityZone", s.AvailabilityZone),
                Ec2("availabilityZoneId", s.AvailabilityZoneId),
                Ec2("defaultForAz", "false"),
                Ec2("mapPublicIpOnLaunch", "false"),
                Ec2("assignIpv6AddressOnCreation", "false"),
                Ec2("tagSet"),
            })),
            next is null ? null : Ec2("nextToken", next))));
    }

    /// <summary>
    /// The zone of a subnet of the caller's account, read from the simulated network (no call of its own: EC2 resolves a
    /// launch's subnet as part of the launch).
    /// </summary>
    public static string ZoneOfSubnet(Ec2Call call, string subnetId)
    {
        var region = call.Request.Cloud.World.FindAccount(call.Session.AccountId)?.FindRegion(call.Region) ?? SimulatedRegion.Empty(call.Region);
        return SimulatedNetwork.Subnets(call.Session.AccountId, region).FirstOrDefault(s => s.SubnetId == subnetId)?.AvailabilityZone
            ?? throw new AwsWireException(400, "InvalidSubnetID.NotFound", $"The subnet ID '{subnetId}' does not exist");
    }

    /// <summary>Where EC2 places a launch that names no zone nor subnet: the region's first zone here (EC2 picks one of its own).</summary>
    public static string DefaultZone(Ec2Call call) =>
        (call.Request.Cloud.World.FindAccount(call.Session.AccountId)?.FindRegion(call.Region) ?? SimulatedRegion.Empty(call.Region)).AvailabilityZones[0];

    private static string VpcId(string accountId, string region) => WireIds.Ec2("vpc-0", $"{accountId}/{region}")[..21];

    private static bool Matches(IReadOnlyList<string> values, string candidate) => values.Any(v => Ec2InstancesWire.Wildcard(v).IsMatch(candidate));
}

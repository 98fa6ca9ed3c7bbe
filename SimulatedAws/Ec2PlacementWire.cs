using SpotOptimizer.Cloud;
using static SpotOptimizer.SimulatedAws.QueryXml;

namespace SpotOptimizer.SimulatedAws;

/// <summary>
/// GetSpotPlacementScores by instance types (<c>InstanceRequirementsWithMetadata</c> is not simulated), capacity in
/// units. <c>SingleAvailabilityZone=true</c> scores each zone of the calling region by zone ID; otherwise the region
/// is scored as its best zone (a fleet using every zone does at least as well). <c>RegionName.N</c> narrows the
/// regions: the simulator scores only the region it is called in, so naming only others answers nothing.
/// </summary>
internal static class Ec2PlacementWire
{
    public static async Task<WireReply> ScoresAsync(Ec2Call call)
    {
        var parameters = call.Parameters;
        if (parameters.Any("InstanceRequirementsWithMetadata"))
            throw call.Invalid("The simulator scores instance types only: specify InstanceType, not InstanceRequirementsWithMetadata.");
        var unit = parameters.Get("TargetCapacityUnitType") ?? "units";
        if (unit != "units") throw call.Invalid($"The simulator counts target capacity in units only, not '{unit}'.");
        var capacity = parameters.Int("TargetCapacity") ?? throw new AwsWireException(400, "MissingParameter", "The request must contain the parameter TargetCapacity");
        var max = parameters.Int("MaxResults") ?? 1000;
        if (max is < 10 or > 1000) throw call.Invalid($"Value ( {max} ) for parameter maxResults is invalid. Expecting a value between 10 and 1000.");
        var regions = parameters.List("RegionName");

        var zones = await call.Request.Cloud.SpotMarket.GetPlacementScoresAsync(call.Session, call.Region,
            new PlacementScoreQuery(parameters.List("InstanceType"), capacity), call.Aborted);
        IReadOnlyList<(string? ZoneId, int Score)> scores = regions.Count > 0 && !regions.Contains(call.Region) ? []
            : parameters.Flag("SingleAvailabilityZone") ? [.. zones.Select(z => ((string?)z.AvailabilityZoneId, z.Score))]
            : zones.Count == 0 ? [] : [(null, zones.Max(z => z.Score))];

        var (page, next) = WirePaging.Page(scores, max, parameters.Get("NextToken"), call.Invalid);
        return call.Answer(WireReply.Xml(200, Ec2Response("GetSpotPlacementScores", call.Request.RequestId,
            Ec2Set("spotPlacementScoreSet", page.Select(s => new object?[]
            {
                Ec2("region", call.Region),
                s.ZoneId is null ? null : Ec2("availabilityZoneId", s.ZoneId),
                Ec2("score", Number(s.Score)),
            }.OfType<object>().ToArray())),
            next is null ? null : Ec2("nextToken", next))));
    }
}

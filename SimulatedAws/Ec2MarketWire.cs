using System.Globalization;
using SpotOptimizer.Cloud;
using static SpotOptimizer.SimulatedAws.QueryXml;

namespace SpotOptimizer.SimulatedAws;

/// <summary>DescribeSpotPriceHistory and DescribeSpotInstanceRequests (the latter as far as the simulated world knows Spot requests: their interruptions).</summary>
internal static class Ec2MarketWire
{
    /// <summary>The only product the simulated market prices: what EKS nodes run.</summary>
    private const string Linux = "Linux/UNIX";

    /// <summary>How long EC2 keeps showing a closed Spot request.</summary>
    private static readonly TimeSpan ClosedRequestVisibility = TimeSpan.FromHours(4);

    /// <summary>
    /// The price changes in [StartTime, EndTime) plus the one in force at StartTime; StartTime = EndTime (or neither)
    /// asks for the prices in force at that instant. Without an instance type the simulator prices nothing.
    /// </summary>
    public static async Task<WireReply> PriceHistoryAsync(Ec2Call call)
    {
        var parameters = call.Parameters;
        var filters = parameters.Filters();
        foreach (var (name, _) in filters)
            if (name is not ("availability-zone" or "instance-type" or "product-description")) throw call.Invalid($"The filter '{name}' is invalid");
        var max = parameters.Int("MaxResults") ?? 1000;
        if (max is < 1 or > 1000) throw call.Invalid($"Value ( {max} ) for parameter maxResults is invalid. Expecting a value between 1 and 1000.");
        var types = parameters.List("InstanceType").Concat(FilterValues(filters, "instance-type")).Distinct(StringComparer.Ordinal).ToList();
        var zones = (parameters.Get("AvailabilityZone") is { } zone ? [zone] : FilterValues(filters, "availability-zone")).ToList();
        var products = parameters.List("ProductDescription").Concat(FilterValues(filters, "product-description")).ToList();
        var end = parameters.Time("EndTime") ?? call.Request.Now;
        var start = parameters.Time("StartTime") ?? end;
        if (end < start) throw call.Invalid("The end time must be after the start time.");

        // The instant's prices are the history of an instant: what was in force at start, nothing changing after it.
        var query = new SpotPriceQuery(types, start, end > start ? end : start.AddTicks(1), zones.Count == 0 ? null : zones);
        await call.Request.Cloud.AuthorizeAsync(call.Session, call.Region, CloudActions.DescribeSpotPriceHistory, cancellationToken: call.Aborted);
        var prices = await call.Request.Cloud.SpotPriceHistoryAsync(call.Session.AccountId, call.Region, query, call.Aborted);
        if (products.Count > 0 && !products.Any(p => p.StartsWith(Linux, StringComparison.Ordinal))) prices = [];
        return call.Answer(PriceHistoryReply(call.Request, prices, max, parameters.Get("NextToken"), call.Invalid));
    }

    /// <summary>
    /// The platform's own account asking for the region's current prices (what the AWS market feed sweeps): every pool
    /// of the market's view, in its zone names, whatever the instance types — the simulator's public market.
    /// </summary>
    public static async Task<WireReply> PublicPricesAsync(WireRequest request, QueryParameters parameters)
    {
        var types = parameters.List("InstanceType");
        var prices = (await request.Cloud.PublicSpotPricesAsync(request.Region, request.Aborted))
            .Where(p => types.Count == 0 || types.Contains(p.InstanceType))
            .OrderBy(p => p.AvailabilityZone, StringComparer.Ordinal).ThenBy(p => p.InstanceType, StringComparer.Ordinal)
            .ToList();
        return PriceHistoryReply(request, prices, parameters.Int("MaxResults") ?? 1000, parameters.Get("NextToken"),
            message => new AwsWireException(400, "InvalidParameterValue", message));
    }

    private static WireReply PriceHistoryReply(WireRequest request, IReadOnlyList<SpotPrice> prices, int max, string? token, Func<string, AwsWireException> invalid)
    {
        var (page, next) = WirePaging.Page(prices, max, token, invalid);
        return WireReply.Xml(200, Ec2Response("DescribeSpotPriceHistory", request.RequestId,
            Ec2Set("spotPriceHistorySet", page.Select(p => new object[]
            {
                Ec2("instanceType", p.InstanceType),
                Ec2("productDescription", Linux),
                Ec2("spotPrice", p.PricePerHour.ToString("0.000000", CultureInfo.InvariantCulture)),
                Ec2("timestamp", Time(p.Timestamp)),
                Ec2("availabilityZone", p.AvailabilityZone),
            })),
            Ec2("nextToken", next ?? "")));
    }

    /// <summary>
    /// The Spot requests of interrupted instances (the simulated world keeps no others): marked for termination during
    /// the two-minute notice, then closed by price; shown for four hours like EC2's closed requests.
    /// </summary>
    public static async Task<WireReply> SpotRequestsAsync(Ec2Call call)
    {
        var filters = call.Parameters.Filters();
        var now = call.Request.Now;
        // IAM judges the action on the wire; the simulated cloud's own read of notices needs DescribeInstances as well.
        await call.Request.Cloud.AuthorizeAsync(call.Session, call.Region, CloudActions.DescribeSpotInstanceRequests, cancellationToken: call.Aborted);
        var notices = await call.Request.Cloud.Instances.GetInterruptionNoticesAsync(call.Session, call.Region, now - ClosedRequestVisibility, call.Aborted);
        var requests = notices.Where(n => n.Kind == InterruptionKind.Interruption).Select(n =>
        {
            var marked = n.ActionTime is { } action && action > now;
            return (Notice: n, Id: WireIds.Ec2("sir-", n.InstanceId)[..12], State: marked ? "active" : "closed",
                Code: marked ? "marked-for-termination" : "instance-terminated-by-price", Updated: marked ? n.NoticeTime : n.ActionTime ?? n.NoticeTime);
        }).ToList();
        var ids = call.Parameters.List("SpotInstanceRequestId");
        var matching = requests.Where(r => (ids.Count == 0 || ids.Contains(r.Id)) && filters.All(f => f.Name switch
        {
            "status-code" => f.Values.Contains(r.Code),
            "state" => f.Values.Contains(r.State),
            "instance-id" => f.Values.Contains(r.Notice.InstanceId),
            "spot-instance-request-id" => f.Values.Contains(r.Id),
            _ => throw call.Invalid($"The filter '{f.Name}' is invalid"),
        })).ToList();
        var (page, next) = WirePaging.Page(matching, call.Parameters.Int("MaxResults") ?? 1000, call.Parameters.Get("NextToken"), call.Invalid);
        return call.Answer(WireReply.Xml(200, Ec2Response("DescribeSpotInstanceRequests", call.Request.RequestId,
            Ec2Set("spotInstanceRequestSet", page.Select(r => new object[]
            {
                Ec2("spotInstanceRequestId", r.Id),
                Ec2("type", "one-time"),
                Ec2("state", r.State),
                Ec2("status", Ec2("code", r.Code), Ec2("updateTime", Time(r.Updated)), Ec2("message", Message(r.Code))),
                Ec2("launchSpecification",
                    Ec2("instanceType", r.Notice.InstanceType),
                    Ec2("placement", Ec2("availabilityZone", r.Notice.AvailabilityZone))),
                Ec2("instanceId", r.Notice.InstanceId),
                Ec2("productDescription", Linux),
                Ec2("launchedAvailabilityZone", r.Notice.AvailabilityZone),
                Ec2("instanceInterruptionBehavior", "terminate"),
            })),
            next is null ? null : Ec2("nextToken", next))));
    }

    private static IEnumerable<string> FilterValues(IEnumerable<(string Name, IReadOnlyList<string> Values)> filters, string name) =>
        filters.Where(f => f.Name == name).SelectMany(f => f.Values);

    private static string Message(string code) => code == "marked-for-termination"
        ? "Spot Instance is marked for termination."
        : "Spot Instance terminated due to price or capacity.";
}

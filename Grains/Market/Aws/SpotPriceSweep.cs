using System.Globalization;
using Amazon.EC2.Model;
using SpotOptimizer.Cloud;
using SpotOptimizer.Cloud.Aws;
using SpotPrice = SpotOptimizer.Cloud.SpotPrice;

namespace SpotOptimizer.Grains.Market.Aws;

/// <summary>
/// The current Spot price of every Linux pool of a region, from EC2 DescribeSpotPriceHistory with the platform's own
/// credentials: Spot prices are public, so no customer role is assumed. Every call (each page) goes through the one AWS
/// retry policy and meter (<see cref="PlatformEc2"/>).
/// </summary>
internal sealed class SpotPriceSweep(PlatformEc2 ec2)
{
    public const string LinuxUnix = "Linux/UNIX";

    /// <summary>
    /// StartTime = now and no end: AWS answers the price in force at that instant for each pool, plus any change
    /// since, over as many pages as it takes; the newest item per pool is kept.
    /// </summary>
    public async Task<IReadOnlyList<SpotPrice>> CurrentPricesAsync(string region, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var newest = new Dictionary<(string Zone, string Type), SpotPrice>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? token = null;
        do
        {
            var request = new DescribeSpotPriceHistoryRequest
            {
                ProductDescriptions = [LinuxUnix],
                StartTime = now.UtcDateTime,
                MaxResults = 1000,
                NextToken = token,
            };
            var page = await ec2.CallAsync(region, CloudActions.DescribeSpotPriceHistory, (client, t) => client.DescribeSpotPriceHistoryAsync(request, t), cancellationToken);
            foreach (var item in page.SpotPriceHistory ?? [])
            {
                var price = ToSpotPrice(item);
                var key = (price.AvailabilityZone, price.InstanceType);
                if (!newest.TryGetValue(key, out var known) || known.Timestamp < price.Timestamp) newest[key] = price;
            }

            token = string.IsNullOrEmpty(page.NextToken) ? null : page.NextToken;
            // A token seen twice would page forever.
            if (token is not null && !seen.Add(token))
                throw new CloudException(CloudErrorCodes.CloudError, $"DescribeSpotPriceHistory in {region} returned the same NextToken twice.");
        }
        while (token is not null);

        return [.. newest.Values.OrderBy(p => p.AvailabilityZone, StringComparer.Ordinal).ThenBy(p => p.InstanceType, StringComparer.Ordinal)];
    }

    /// <summary>
    /// The platform account's zones with their IDs: the names its prices use are its own, and tenants' names are
    /// translated through the IDs.
    /// </summary>
    public async Task<IReadOnlyList<Cloud.AvailabilityZone>> ZonesAsync(string region, CancellationToken cancellationToken)
    {
        var response = await ec2.CallAsync(region, CloudActions.DescribeAvailabilityZones,
            (client, t) => client.DescribeAvailabilityZonesAsync(new DescribeAvailabilityZonesRequest(), t), cancellationToken);
        return [.. (response.AvailabilityZones ?? []).Where(z => z.ZoneName is not null && z.ZoneId is not null).Select(z => new Cloud.AvailabilityZone(z.ZoneName, z.ZoneId))];
    }

    private static SpotPrice ToSpotPrice(Amazon.EC2.Model.SpotPrice item) =>
        new(item.AvailabilityZone ?? throw Malformed("availabilityZone"),
            item.InstanceType?.Value ?? throw Malformed("instanceType"),
            decimal.TryParse(item.Price, NumberStyles.Number, CultureInfo.InvariantCulture, out var price) ? price : throw Malformed("spotPrice"),
            item.Timestamp is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : throw Malformed("timestamp"));

    private static CloudException Malformed(string field) =>
        new(CloudErrorCodes.Unavailable, $"DescribeSpotPriceHistory answered an item without a valid {field}.");
}

using System.Collections.Concurrent;
using System.Globalization;
using Amazon.EC2;
using Amazon.EC2.Model;
using SpotOptimizer.Cloud;
using SpotOptimizer.Cloud.Aws;
using SpotPrice = SpotOptimizer.Cloud.SpotPrice;

namespace SpotOptimizer.Grains.Market.Aws;

/// <summary>
/// The current Spot price of every Linux pool of a region, from EC2 DescribeSpotPriceHistory with the platform's own
/// credentials: Spot prices are public, so no customer role is assumed.
/// </summary>
internal sealed class SpotPriceSweep(AwsCloudOptions aws) : IDisposable
{
    public const string LinuxUnix = "Linux/UNIX";

    private readonly ConcurrentDictionary<string, AmazonEC2Client> _clients = new(StringComparer.Ordinal);

    /// <summary>
    /// StartTime = now and no end: AWS answers the price in force at that instant for each pool, plus any change
    /// since, over as many pages as it takes; the newest item per pool is kept.
    /// </summary>
    public async Task<IReadOnlyList<SpotPrice>> CurrentPricesAsync(string region, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var request = new DescribeSpotPriceHistoryRequest
        {
            ProductDescriptions = [LinuxUnix],
            StartTime = now.UtcDateTime,
            MaxResults = 1000,
        };
        var newest = new Dictionary<(string Zone, string Type), SpotPrice>();
        try
        {
            await foreach (var item in Client(region).Paginators.DescribeSpotPriceHistory(request).SpotPriceHistory.WithCancellation(cancellationToken))
            {
                var price = ToSpotPrice(item);
                var key = (price.AvailabilityZone, price.InstanceType);
                if (!newest.TryGetValue(key, out var known) || known.Timestamp < price.Timestamp) newest[key] = price;
            }
        }
        catch (AmazonEC2Exception exception)
        {
            throw new CloudException(exception.ErrorCode is "RequestLimitExceeded" or "Throttling" ? CloudErrorCodes.Throttled : CloudErrorCodes.Unavailable,
                $"DescribeSpotPriceHistory in {region} failed: {exception.ErrorCode} {exception.Message}");
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested
            && exception is Amazon.Runtime.AmazonServiceException or Amazon.Runtime.AmazonClientException or HttpRequestException or IOException or TaskCanceledException)
        {
            // Unreachable endpoint, an unreadable answer or no credentials, after the SDK's own retries.
            throw new CloudException(CloudErrorCodes.Unavailable, $"DescribeSpotPriceHistory in {region} failed: {exception.Message}");
        }

        return [.. newest.Values.OrderBy(p => p.AvailabilityZone, StringComparer.Ordinal).ThenBy(p => p.InstanceType, StringComparer.Ordinal)];
    }

    /// <summary>
    /// The platform account's zones with their IDs: the names its prices use are its own, and tenants' names are
    /// translated through the IDs.
    /// </summary>
    public async Task<IReadOnlyList<Cloud.AvailabilityZone>> ZonesAsync(string region, CancellationToken cancellationToken)
    {
        try
        {
            var response = await Client(region).DescribeAvailabilityZonesAsync(new DescribeAvailabilityZonesRequest(), cancellationToken);
            return [.. (response.AvailabilityZones ?? []).Where(z => z.ZoneName is not null && z.ZoneId is not null).Select(z => new Cloud.AvailabilityZone(z.ZoneName, z.ZoneId))];
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested
            && exception is Amazon.Runtime.AmazonServiceException or Amazon.Runtime.AmazonClientException or HttpRequestException or IOException or TaskCanceledException)
        {
            throw new CloudException(CloudErrorCodes.Unavailable, $"DescribeAvailabilityZones in {region} failed: {exception.Message}");
        }
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values) client.Dispose();
    }

    private static SpotPrice ToSpotPrice(Amazon.EC2.Model.SpotPrice item) =>
        new(item.AvailabilityZone ?? throw Malformed("availabilityZone"),
            item.InstanceType?.Value ?? throw Malformed("instanceType"),
            decimal.TryParse(item.Price, NumberStyles.Number, CultureInfo.InvariantCulture, out var price) ? price : throw Malformed("spotPrice"),
            item.Timestamp is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : throw Malformed("timestamp"));

    private static CloudException Malformed(string field) =>
        new(CloudErrorCodes.Unavailable, $"DescribeSpotPriceHistory answered an item without a valid {field}.");

    private AmazonEC2Client Client(string region) => _clients.GetOrAdd(region, r =>
    {
        var config = new AmazonEC2Config
        {
            ServiceURL = aws.Endpoints.Ec2.Replace("{region}", r, StringComparison.Ordinal),
            AuthenticationRegion = r,
            Timeout = aws.RequestTimeout,
            MaxErrorRetry = aws.MaxRetries,
        };
        // Null: the SDK's default chain (environment, profile, container or instance role).
        return aws.Credentials is { } credentials ? new AmazonEC2Client(credentials, config) : new AmazonEC2Client(config);
    });
}

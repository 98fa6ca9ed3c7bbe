using System.Collections.Concurrent;
using Amazon.EC2;
using Amazon.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SpotOptimizer.Cloud.Aws;

/// <summary>
/// EC2 with the platform's own identity rather than a tenant's role: the market feed's public reads
/// (DescribeSpotPriceHistory, our account's DescribeAvailabilityZones). Its calls go through the same retry policy
/// (<see cref="AwsRetry"/>, the SDK's own retries off) and are counted in the same meter (<see cref="AwsMetrics"/>) as
/// every tenant call, so throttling of the market feed shows as retries like any other.
/// </summary>
public sealed class PlatformEc2 : IDisposable
{
    private readonly AwsCloudOptions _options;
    private readonly TimeProvider _time;
    private readonly AwsRetry _retry;
    private readonly ConcurrentDictionary<string, AmazonEC2Client> _clients = new(StringComparer.Ordinal);

    /// <param name="options">Our credentials (the SDK's default chain when null), endpoints, timeout and retry settings.</param>
    /// <param name="metrics">Where calls and retries are counted.</param>
    public PlatformEc2(AwsCloudOptions options, AwsMetrics metrics, TimeProvider? time = null, ILogger? logger = null)
    {
        _options = options;
        _time = time ?? TimeProvider.System;
        _retry = new AwsRetry(options, _time, logger ?? NullLogger.Instance, metrics);
    }

    /// <summary>One EC2 call of <paramref name="operation"/> (an IAM action) in <paramref name="region"/>, retried and counted once.</summary>
    public Task<T> CallAsync<T>(string region, string operation, Func<IAmazonEC2, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var client = Client(region);
        return _retry.ExecuteAsync(operation, session: null, token => AttemptAsync(client, operation, call, token), cancellationToken);
    }

    private async ValueTask<T> AttemptAsync<T>(IAmazonEC2 client, string operation, Func<IAmazonEC2, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await Ec2Api.AttemptAsync(client, operation, call, _options.RequestTimeout, _time, cancellationToken);
        }
        catch (AmazonClientException e) when (!cancellationToken.IsCancellationRequested)
        {
            // No credentials in the default chain, an unreadable answer: a tenant session always has credentials, our
            // own identity may not; retrying would not find any.
            throw new CloudException(CloudErrorCodes.Unavailable, $"{operation} could not be called with the platform's identity: {e.Message}", retryable: false, e)
            {
                Operation = operation,
            };
        }
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values) client.Dispose();
    }

    private AmazonEC2Client Client(string region) => _clients.GetOrAdd(region, r =>
    {
        var config = new AmazonEC2Config
        {
            ServiceURL = AwsEndpoints.Resolve(_options.Endpoints.Ec2, r).ToString(),
            AuthenticationRegion = r,
            Timeout = _options.RequestTimeout,
            // AwsRetry retries: the SDK must not retry each of its attempts again.
            MaxErrorRetry = 0,
        };
        // Null: the SDK's default chain (environment, profile, container or instance role).
        return _options.Credentials is { } credentials ? new AmazonEC2Client(credentials, config) : new AmazonEC2Client(config);
    });
}

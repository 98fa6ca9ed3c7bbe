using System.Collections.Concurrent;
using System.Net;
using Amazon.EC2;
using Amazon.Runtime;

namespace SpotOptimizer.Cloud.Aws;

/// <summary>
/// EC2 through AWSSDK.EC2: one <see cref="AmazonEC2Client"/> per (session access key, region) signed with the session's
/// temporary credentials, pointed at <see cref="AwsEndpoints.Ec2"/>, its own retries off (<see cref="AwsRetry"/> retries
/// every AWS call once, with metrics). SDK errors become <see cref="CloudException"/>s through <see cref="AwsErrors"/>.
/// </summary>
internal sealed class Ec2Api(AwsCloudOptions options, AwsRetry retry, TimeProvider time, HttpClientFactory? httpClientFactory)
{
    /// <summary>EC2 answers a dry run that would have succeeded with this error (HTTP 412).</summary>
    public const string DryRunSucceeded = "DryRunOperation";

    // A client is cheap to keep and not free to build (endpoint rules, handler pipeline): a tenant's session makes a
    // burst of calls (discovery, a job's steps) in one region, so clients are kept per session key and region. Sessions
    // last an hour; expired ones are swept whenever a client is added, and the count is bounded whatever happens.
    // Evicted clients are not disposed: a call may still be using one, and their HttpClient is the SDK's shared cache.
    private const int MaxClients = 512;

    private readonly ConcurrentDictionary<(string AccessKeyId, string Region), (AmazonEC2Client Client, DateTimeOffset Expiration)> _clients = new();

    internal int CachedClients => _clients.Count;

    /// <summary>One EC2 call, retried as every AWS call; an error EC2 reports becomes a <see cref="CloudException"/>.</summary>
    /// <param name="outcomeOf">The outcome of an answer that reports a failure instead of throwing it (a CreateFleet that launched nothing); success when null.</param>
    public Task<T> CallAsync<T>(CloudSession session, string region, string operation, Func<IAmazonEC2, CancellationToken, Task<T>> call,
        CancellationToken cancellationToken, Func<T, string?>? outcomeOf = null)
    {
        var client = Client(session, region);
        return retry.ExecuteAsync(operation, session, token => AttemptAsync(client, operation, call, options.RequestTimeout, time, token), cancellationToken,
            outcomeOf);
    }

    /// <summary>
    /// A write sent with <c>DryRun=true</c> (the caller sets it on the request): returns when EC2 says it would have
    /// succeeded; any other error is thrown (<c>UnauthorizedOperation</c> becomes <c>missing_permission:&lt;operation&gt;</c>).
    /// </summary>
    public async Task DryRunAsync<T>(CloudSession session, string region, string operation, Func<IAmazonEC2, CancellationToken, Task<T>> call,
        CancellationToken cancellationToken)
    {
        try
        {
            await CallAsync(session, region, operation, call, cancellationToken);
        }
        catch (CloudException e) when (e.ProviderCode == DryRunSucceeded)
        {
            return;
        }

        // A success to a dry run would mean the flag was ignored: report it rather than pretend nothing happened.
        throw new CloudException(CloudErrorCodes.CloudError, $"{operation} acted on a dry run.") { Operation = operation };
    }

    /// <summary>Every page of a listing: <paramref name="page"/> gets the token (null first) and answers its items and the next token.</summary>
    public Task<IReadOnlyList<TItem>> ListAsync<TItem, TResponse>(CloudSession session, string region, string operation,
        Func<IAmazonEC2, string?, CancellationToken, Task<TResponse>> call, Func<TResponse, (IEnumerable<TItem> Items, string? NextToken)> page,
        CancellationToken cancellationToken) =>
        AwsPaging.AllAsync(operation, async token =>
        {
            var (items, next) = page(await CallAsync(session, region, operation, (ec2, t) => call(ec2, token, t), cancellationToken));
            return (items, string.IsNullOrEmpty(next) ? null : next);
        });

    /// <summary>One attempt of an EC2 call, whoever signs it (a tenant's session or the platform's own identity).</summary>
    internal static async ValueTask<T> AttemptAsync<T>(IAmazonEC2 client, string operation, Func<IAmazonEC2, CancellationToken, Task<T>> call,
        TimeSpan requestTimeout, TimeProvider time, CancellationToken cancellationToken)
    {
        // Our own per-attempt timeout (the SDK's is the same length): a slow answer fails as a retryable timeout.
        using var timeout = new CancellationTokenSource(requestTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await call(client, linked.Token);
        }
        catch (AmazonServiceException e) when (e.StatusCode != 0 || e.ErrorCode is not null)
        {
            var code = string.IsNullOrEmpty(e.ErrorCode) ? ((int)e.StatusCode >= 500 ? "ServiceUnavailable" : $"Http{(int)e.StatusCode}") : e.ErrorCode;
            throw AwsErrors.ToCloudException(new AwsError(code, e.Message), e.StatusCode, operation);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CloudException(CloudErrorCodes.Timeout, $"{operation} got no answer within {requestTimeout}.", retryable: true, e) { Operation = operation };
        }
        catch (HttpRequestException e)
        {
            throw new CloudException(CloudErrorCodes.Unavailable, $"{operation} could not reach EC2: {e.Message}", retryable: true, e) { Operation = operation };
        }
        catch (AmazonClientException e) when (e.InnerException is HttpRequestException or IOException or TimeoutException or OperationCanceledException
                                              && !cancellationToken.IsCancellationRequested)
        {
            throw new CloudException(CloudErrorCodes.Unavailable, $"{operation} could not reach EC2: {e.Message}", retryable: true, e) { Operation = operation };
        }
    }

    private AmazonEC2Client Client(CloudSession session, string region)
    {
        var key = (session.Credentials.AccessKeyId, region);
        if (_clients.TryGetValue(key, out var cached)) return cached.Client;
        var config = new AmazonEC2Config
        {
            ServiceURL = AwsEndpoints.Resolve(options.Endpoints.Ec2, region).ToString(),
            AuthenticationRegion = region,
            MaxErrorRetry = 0,
            Timeout = options.RequestTimeout,
        };
        if (httpClientFactory is not null) config.HttpClientFactory = httpClientFactory;
        var credentials = new SessionAWSCredentials(session.Credentials.AccessKeyId, session.Credentials.SecretAccessKey, session.Credentials.SessionToken);
        var added = _clients.GetOrAdd(key, _ => (new AmazonEC2Client(credentials, config), session.Expiration));
        if (_clients.Count > MaxClients) Sweep();
        return added.Client;
    }

    private void Sweep()
    {
        var now = time.GetUtcNow();
        foreach (var (key, entry) in _clients)
        {
            if (entry.Expiration <= now) _clients.TryRemove(key, out _);
        }

        // Still too many live sessions: drop those that expire soonest; they are rebuilt on their next call.
        foreach (var (key, _) in _clients.OrderBy(c => c.Value.Expiration).Take(Math.Max(0, _clients.Count - MaxClients)).ToList())
            _clients.TryRemove(key, out _);
    }
}

/// <summary>Points the SDK clients at a given HTTP handler (tests capture requests with it); null in production.</summary>
internal sealed class HandlerHttpClientFactory(HttpMessageHandler handler) : HttpClientFactory
{
    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => true;
}

using System.Net;

namespace SpotOptimizer.Agent.SafeMode;

/// <summary>
/// Whether the platform answers: every platform call (inventory, commands, reports) records its outcome here through
/// <see cref="ReachabilityHandler"/>. Unreachable means every call since the first failure failed to connect, timed out
/// or got a 5xx; any other answer, a 401 included, proves the platform is there (a revoked token is not an outage).
/// </summary>
public sealed class PlatformReachability(TimeProvider time)
{
    private readonly Lock _lock = new();
    private DateTimeOffset? _failingSince;

    /// <summary>The platform answered 401: the token was revoked or replaced; nothing the agent does will fix that.</summary>
    public bool Revoked { get; private set; }

    public void Answered(HttpStatusCode status)
    {
        lock (_lock)
        {
            _failingSince = null;
            if (status == HttpStatusCode.Unauthorized) Revoked = true;
        }
    }

    public void Failed()
    {
        lock (_lock) _failingSince ??= time.GetUtcNow();
    }

    /// <summary>How long every call has been failing; zero while the platform answers.</summary>
    public TimeSpan UnreachableFor
    {
        get
        {
            lock (_lock) return _failingSince is { } since ? time.GetUtcNow() - since : TimeSpan.Zero;
        }
    }
}

/// <summary>Records every platform call's outcome in <see cref="PlatformReachability"/>; the exception still reaches the caller.</summary>
public sealed class ReachabilityHandler(PlatformReachability reachability) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            // A timeout surfaces as a cancellation; one at shutdown is recorded too, harmlessly, as the process is ending.
            reachability.Failed();
            throw;
        }

        if ((int)response.StatusCode >= 500) reachability.Failed();
        else reachability.Answered(response.StatusCode);
        return response;
    }
}

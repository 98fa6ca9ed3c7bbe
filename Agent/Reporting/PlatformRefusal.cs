using System.Net;

namespace SpotOptimizer.Agent.Reporting;

/// <summary>
/// The platform answered with an error status. <see cref="RetryAfter"/> is its <c>Retry-After</c> (a 429
/// <c>rate_limited</c> says when the tenant's allowance frees up): a caller that retries waits at least that long.
/// </summary>
public sealed class PlatformRefusal(string message, HttpStatusCode status, TimeSpan? retryAfter)
    : HttpRequestException(message, null, status)
{
    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>The header as seconds or as an HTTP date (RFC 9110 §10.2.3), relative to <paramref name="now"/>; null when absent.</summary>
    public static TimeSpan? RetryAfterOf(HttpResponseMessage response, DateTimeOffset now) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date > now ? date - now : TimeSpan.Zero,
        _ => null,
    };
}

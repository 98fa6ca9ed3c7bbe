using System.Globalization;
using System.Threading.RateLimiting;
using SpotOptimizer.Api.Http;

namespace SpotOptimizer.Api.Auth;

/// <summary>
/// Fixed windows per client address for the sign-up, token and password-reset routes, applied as an endpoint filter.
/// The limiters belong to this singleton and are disposed with the host. ASP.NET's rate-limiting middleware builds a
/// limiter whose timer is never stopped and holds the whole request pipeline: every host started in one process (the
/// API tests start hundreds) stayed in memory after it stopped.
/// </summary>
public sealed class ClientRateLimits : IDisposable
{
    private readonly Dictionary<string, PartitionedRateLimiter<string>> _limiters;

    public ClientRateLimits(AuthOptions options) => _limiters = new(StringComparer.Ordinal)
    {
        [AuthServices.SignupLimit] = PerClient(options.SignupsPerHourPerClient, TimeSpan.FromHours(1)),
        [AuthServices.TokenLimit] = PerClient(options.TokenRequestsPerMinutePerClient, TimeSpan.FromMinutes(1)),
        [AuthServices.PasswordResetLimit] = PerClient(options.PasswordResetsPerHourPerClient, TimeSpan.FromHours(1)),
    };

    public PartitionedRateLimiter<string> this[string limit] => _limiters[limit];

    public void Dispose()
    {
        foreach (var limiter in _limiters.Values) limiter.Dispose();
    }

    private static PartitionedRateLimiter<string> PerClient(int permits, TimeSpan window) =>
        PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.GetFixedWindowLimiter(
            client, _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = window, QueueLimit = 0 }));
}

/// <summary>Endpoint metadata: the route answers 429 once the client's window is used up (the OpenAPI document lists it).</summary>
public sealed record ClientRateLimited(string Limit);

public static class ClientRateLimitEndpoints
{
    /// <summary>429 <c>rate_limited</c> with <c>Retry-After</c> once the client's window for <paramref name="limit"/> is used up.</summary>
    public static TBuilder RequireClientRateLimit<TBuilder>(this TBuilder endpoint, string limit) where TBuilder : IEndpointConventionBuilder =>
        endpoint.WithMetadata(new ClientRateLimited(limit)).AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var limiter = http.RequestServices.GetRequiredService<ClientRateLimits>()[limit];
            using var lease = await limiter.AcquireAsync(http.Connection.RemoteIpAddress?.ToString() ?? "unknown", 1, http.RequestAborted);
            if (lease.IsAcquired) return await next(context);

            var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
            http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return Problems.Of(StatusCodes.Status429TooManyRequests, "rate_limited", "Too many requests.",
                $"Try again in {Math.Ceiling(retryAfter.TotalSeconds)} seconds.");
        });
}

using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpotOptimizer.Agent.Reporting;

namespace SpotOptimizer.Agent.Signals;

/// <summary>
/// Sends one signal to <c>POST /api/agent/interruptions</c>, retrying while the platform is unreachable, failing, or does
/// not know the instance yet (422 <c>unknown_instance</c>: a node launched after the last inventory report). A refused
/// report (400, or 401 for a revoked token) is logged and dropped, and so is one still failing after <see cref="GiveUpAfter"/>:
/// by then the instance is gone and the platform has learnt of the interruption from EC2 itself. A 429 (the tenant's
/// report allowance in the region is used up) is retried no sooner than its <c>Retry-After</c>: retrying earlier is
/// refused again and counted against the tenant.
/// </summary>
public sealed partial class InterruptionReporter(IHttpClientFactory clients, IOptions<AgentOptions> options, TimeProvider time, ILogger<InterruptionReporter> logger)
{
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(10);

    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(30);

    /// <summary>The platform's answer: the Spot pool it flagged and until when.</summary>
    public sealed record Flagged(string Pool, DateTimeOffset? FlaggedUntil);

    /// <returns>The platform's answer, or null when the signal was dropped.</returns>
    public async Task<Flagged?> ReportAsync(InterruptionSignal signal, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        for (var attempt = 0; ; attempt++)
        {
            HttpStatusCode? status = null;
            TimeSpan? retryAfter = null;
            try
            {
                var flagged = await PostAsync(signal, cancellationToken);
                LogReported(logger, signal.Kind, signal.NodeName, signal.InstanceId, flagged.Pool);
                return flagged;
            }
            catch (HttpRequestException e) when (e.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized)
            {
                LogRefused(logger, signal.Kind, signal.InstanceId, e);
                return null;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                status = (e as HttpRequestException)?.StatusCode;
                retryAfter = (e as PlatformRefusal)?.RetryAfter;
                LogRetrying(logger, signal.Kind, signal.InstanceId, attempt + 1, e);
            }

            if (time.GetUtcNow() - started > GiveUpAfter)
            {
                LogGaveUp(logger, signal.Kind, signal.InstanceId, status?.ToString() ?? "unreachable");
                return null;
            }

            await Task.Delay(RetryDelay(attempt, retryAfter), time, cancellationToken);
        }
    }

    /// <summary>Doubling from 1 s to at most 30 s, and never sooner than the platform's <c>Retry-After</c>.</summary>
    public static TimeSpan RetryDelay(int attempt, TimeSpan? retryAfter)
    {
        var backoff = TimeSpan.FromTicks(Math.Min(LongestRetry.Ticks, FirstRetry.Ticks << Math.Min(attempt, 5)));
        return retryAfter is { } after && after > backoff ? after : backoff;
    }

    private Task<Flagged> PostAsync(InterruptionSignal signal, CancellationToken cancellationToken) =>
        new PlatformClient(clients.CreateClient(nameof(PlatformClient)), options.Value.Token!)
            .SendAsync<Flagged>(HttpMethod.Post, "api/agent/interruptions", new { signal.InstanceId, signal.Kind, signal.NoticeTime }, cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reported {Kind} on node {Node} ({InstanceId}); the platform flagged pool {Pool}.")]
    private static partial void LogReported(ILogger logger, string kind, string node, string instanceId, string pool);

    [LoggerMessage(Level = LogLevel.Error, Message = "The platform refused the {Kind} report for {InstanceId}; not retried.")]
    private static partial void LogRefused(ILogger logger, string kind, string instanceId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reporting {Kind} for {InstanceId} failed (attempt {Attempt}); retrying.")]
    private static partial void LogRetrying(ILogger logger, string kind, string instanceId, int attempt, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Gave up reporting {Kind} for {InstanceId} (last answer: {Status}).")]
    private static partial void LogGaveUp(ILogger logger, string kind, string instanceId, string status);
}

using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpotOptimizer.Notifications.Channels;

namespace SpotOptimizer.Notifications.Outbox;

/// <summary>
/// Sends what the outbox holds, on its own loop (so a slow or failing receiver delays nobody who raised an event):
/// claims due rows under a lease, hands each to its channel, logs the attempt, and schedules a retry with backoff
/// or gives up. Runs in every process; leases keep instances from sending one row at once.
/// </summary>
public sealed partial class DeliveryDispatcher(
    NotificationOutbox outbox,
    IEnumerable<INotificationChannel> channels,
    IOptions<NotificationOptions> options,
    TimeProvider time,
    ILogger<DeliveryDispatcher> logger) : BackgroundService
{
    private const int Batch = 20;
    private readonly string _owner = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
    private readonly Dictionary<string, INotificationChannel> _channels = channels.ToDictionary(c => c.Name, StringComparer.Ordinal);
    private readonly SemaphoreSlim _nudge = new(0, 1);

    /// <summary>A row was queued in this process: look now instead of at the next poll.</summary>
    public void Nudge()
    {
        if (_nudge.CurrentCount == 0)
        {
            try
            {
                _nudge.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another nudge got there first; one is enough.
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await DeliverDueAsync(stoppingToken) == Batch)
                {
                    // A full batch: there may be more due now.
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The database may be restarting; the next poll tries again.
                LogLoopFailed(logger, exception);
            }

            await WaitForWorkAsync(stoppingToken);
        }
    }

    /// <summary>Until the poll interval passes on the injected clock, or a nudge arrives.</summary>
    private async Task WaitForWorkAsync(CancellationToken stoppingToken)
    {
        using var wake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var nudged = _nudge.WaitAsync(wake.Token);
        var poll = Task.Delay(options.Value.PollInterval, time, wake.Token);
        await Task.WhenAny(nudged, poll);
        await wake.CancelAsync();
        try
        {
            await Task.WhenAll(nudged, poll);
        }
        catch (OperationCanceledException)
        {
            // The one that did not finish was cancelled: expected.
        }
    }

    /// <summary>One pass: claims due rows and attempts each once. Returns how many were claimed.</summary>
    public async Task<int> DeliverDueAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        // The lease outlives the slowest attempt of a batch with room to spare.
        var lease = (settings.Timeout * Batch) + TimeSpan.FromMinutes(1);
        var items = await outbox.ClaimAsync(_owner, lease, Batch, cancellationToken);
        await Task.WhenAll(items.Select(item => AttemptAsync(item, settings, cancellationToken)));
        return items.Count;
    }

    private async Task AttemptAsync(OutboxItem item, NotificationOptions settings, CancellationToken cancellationToken)
    {
        var attempt = item.Attempts + 1;
        var started = time.GetTimestamp();
        DeliveryResult result;
        try
        {
            var notification = JsonSerializer.Deserialize<NotificationEvent>(item.PayloadJson, NotificationJson.Options)!;
            result = _channels.TryGetValue(item.Channel, out var channel)
                ? await channel.SendAsync(item, notification, cancellationToken)
                : new DeliveryResult(false, null, $"no channel '{item.Channel}'", false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            result = new DeliveryResult(false, null, $"{exception.GetType().Name}: {exception.Message}", true);
        }

        var duration = (long)time.GetElapsedTime(started).TotalMilliseconds;
        var now = time.GetUtcNow();
        var delay = result.Delivered || !result.Retryable ? null : RetrySchedule.DelayAfter(attempt, settings.MaxAttempts, settings.BaseDelay, settings.MaxDelay);
        var status = result.Delivered ? DeliveryStatus.Delivered : delay is null ? DeliveryStatus.Failed : DeliveryStatus.Pending;
        var record = new AttemptRecord(attempt, now, result.StatusCode, result.Error, duration, now + delay);
        if (!await outbox.RecordAttemptAsync(item, _owner, record, status, CancellationToken.None)) LogLeaseLost(logger, item.Id);
        else if (!result.Delivered) LogAttemptFailed(logger, item.Id, item.Channel, attempt, result.Error ?? "", status);
    }

    [LoggerMessage(1, LogLevel.Warning, "The notification dispatcher's pass failed; retrying at the next poll")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception);

    [LoggerMessage(2, LogLevel.Warning, "Notification {Id} ({Channel}) attempt {Attempt} failed: {Error}; now {Status}")]
    private static partial void LogAttemptFailed(ILogger logger, long id, string channel, int attempt, string error, string status);

    [LoggerMessage(3, LogLevel.Warning, "Notification {Id}: the lease expired during the attempt; another dispatcher owns it now")]
    private static partial void LogLeaseLost(ILogger logger, long id);
}

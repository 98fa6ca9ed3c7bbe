using SpotOptimizer.Notifications.Outbox;

namespace SpotOptimizer.Notifications.Channels;

/// <summary>What one attempt came to. <see cref="Retryable"/>: worth another attempt later (5xx, 429, timeout, connection error).</summary>
public sealed record DeliveryResult(bool Delivered, int? StatusCode, string? Error, bool Retryable)
{
    public static DeliveryResult Ok(int? statusCode) => new(true, statusCode, null, false);
}

/// <summary>One way of reaching people (the provider pattern): the rule's channel picks the implementation.</summary>
public interface INotificationChannel
{
    /// <summary>The rule channel it serves (<see cref="Rules.ChannelNames"/>).</summary>
    string Name { get; }

    /// <summary>Never throws for a delivery problem: it is reported in the result and logged as an attempt.</summary>
    Task<DeliveryResult> SendAsync(OutboxItem item, NotificationEvent notification, CancellationToken cancellationToken);
}

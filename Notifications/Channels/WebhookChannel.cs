using System.Text.Json;
using SpotOptimizer.Notifications.Outbox;
using SpotOptimizer.Notifications.Rules;

namespace SpotOptimizer.Notifications.Channels;

/// <summary>The customer's own endpoint: our JSON, signed with the organization's secret (<see cref="WebhookSignature"/>).</summary>
public sealed class WebhookChannel(IHttpClientFactory clients, NotificationSettingsStore settings, TimeProvider time) : INotificationChannel
{
    public string Name => ChannelNames.Webhook;

    public async Task<DeliveryResult> SendAsync(OutboxItem item, NotificationEvent notification, CancellationToken cancellationToken)
    {
        var secret = await settings.SigningSecretAsync(item.OrganizationId, cancellationToken);
        if (secret is null) return new DeliveryResult(false, null, "the organization has no signing secret", false);
        var body = Body(item.EventId, notification);
        return await HttpDelivery.PostJsonAsync(clients, item.Target, body, new Dictionary<string, string>
        {
            [WebhookSignature.Header] = WebhookSignature.Sign(secret, time.GetUtcNow(), body),
            [WebhookSignature.EventIdHeader] = item.EventId,
            [WebhookSignature.EventHeader] = notification.Event,
        }, cancellationToken);
    }

    /// <summary>The body a receiver parses: the same <c>id</c> on every retry, so it can drop repeats.</summary>
    public static byte[] Body(string eventId, NotificationEvent n) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        id = eventId, @event = n.Event, organization_id = n.OrganizationId, occurred_at = n.OccurredAt, title = n.Title, summary = n.Summary, facts = n.Facts,
    }, NotificationJson.Options);
}

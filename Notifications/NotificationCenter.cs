using System.Text.Json;
using SpotOptimizer.Notifications.Outbox;
using SpotOptimizer.Notifications.Rules;

namespace SpotOptimizer.Notifications;

/// <summary>
/// Turns an event into outbox rows, one per matching rule, and wakes this process's dispatcher. Only database work
/// happens here: no receiver is contacted, so the caller is never held up by one.
/// </summary>
public sealed class NotificationCenter(NotificationSettingsStore settings, NotificationOutbox outbox, DeliveryDispatcher dispatcher) : INotificationCenter
{
    public async Task<int> RaiseAsync(NotificationEvent notification, CancellationToken cancellationToken)
    {
        var rules = await settings.RulesForAsync(notification.OrganizationId, notification.Event, cancellationToken);
        var drafts = rules.Select(r =>
        {
            var payload = notification with { OrganizationId = r.OrganizationId };
            return new OutboxDraft(r.OrganizationId, $"{notification.SourceId}|{r.OrganizationId}|{r.Rule.Id}", notification.SourceId, notification.Event,
                r.Rule.Id, r.Rule.Channel, r.Rule.Target, JsonSerializer.Serialize(payload, NotificationJson.Options));
        }).ToList();
        var queued = await outbox.EnqueueAsync(drafts, cancellationToken);
        if (queued > 0) dispatcher.Nudge();
        return queued;
    }
}

using System.Text.Json;
using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Notifications;

/// <summary>Which ledger entries are events people subscribe to, and how they read.</summary>
public static class LedgerEvents
{
    public const string AgentLostAction = "cluster.agent_lost";

    public static NotificationEvent? From(LedgerEntry entry)
    {
        var facts = new Dictionary<string, string>(StringComparer.Ordinal) { ["Resource"] = entry.Resource };
        var details = Details(entry.After);
        foreach (var (key, name) in new[] { ("code", "Code"), ("message", "Message"), ("kind", "Kind"), ("pool", "Pool"), ("job_id", "Job"), ("last_seen", "Last seen") })
        {
            if (details.TryGetValue(key, out var value)) facts[name] = value;
        }

        var (notificationEvent, title, summary) = entry.Action switch
        {
            "optimization.failed" => (NotificationEvents.JobFailed, "Optimization job failed",
                $"An optimization job of {entry.Resource} failed: {details.GetValueOrDefault("message", "no detail")}"),
            "spot.interruption_reported" or "spot.interruption_observed" => (NotificationEvents.InterruptionHit, "Spot interruption on your node",
                $"{entry.Resource} received a Spot {details.GetValueOrDefault("kind", "interruption")} notice; its pool is flagged for every tenant."),
            AgentLostAction => (NotificationEvents.AgentLost, "Cluster agent stopped reporting",
                $"The agent of {entry.Resource} has sent no heartbeat for longer than expected; the cluster is not being watched."),
            _ => (null, "", ""),
        };
        // The agent and discovery can both see one notice: an interruption is one occurrence per instance and kind.
        var sourceId = notificationEvent == NotificationEvents.InterruptionHit
            ? $"interruption:{entry.Resource}:{details.GetValueOrDefault("kind", "interruption")}"
            : $"ledger:{entry.Id}";
        return notificationEvent is null ? null
            : new NotificationEvent(notificationEvent, entry.OrganizationId, sourceId, title, summary, facts, entry.OccurredAt);
    }

    private static Dictionary<string, string> Details(string? json)
    {
        var details = new Dictionary<string, string>(StringComparer.Ordinal);
        if (json is null) return details;
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object) return details;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number) details[property.Name] = property.Value.ToString();
            }
        }
        catch (JsonException)
        {
            // Details are informative only; an entry without readable details still notifies.
        }

        return details;
    }
}

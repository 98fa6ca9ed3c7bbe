namespace SpotOptimizer.Notifications;

/// <summary>The events a rule can subscribe to.</summary>
public static class NotificationEvents
{
    public const string JobFailed = "job_failed";
    public const string InterruptionHit = "interruption_hit";
    public const string SafeModeEntered = "safe_mode_entered";
    public const string SavingsReport = "savings_report";
    public const string AgentLost = "agent_lost";

    /// <summary>Sent by <c>POST /api/notifications/test</c> to every rule; no rule subscribes to it.</summary>
    public const string Test = "test";

    public static readonly IReadOnlyList<string> All = [JobFailed, InterruptionHit, SafeModeEntered, SavingsReport, AgentLost];
}

/// <summary>
/// Something worth telling people about. <see cref="OrganizationId"/> null: a platform-wide event, sent to every
/// organization with a rule for it (e.g. SAFE_MODE switched on).
/// </summary>
/// <param name="SourceId">Identifies the occurrence (e.g. <c>ledger:123</c>); with the rule id it is the outbox's idempotency key,
/// and it is the event id a receiver deduplicates on. Raising the same occurrence twice sends it once.</param>
/// <param name="Facts">Name → value lines every channel shows (cluster, code, figures).</param>
public sealed record NotificationEvent(
    string Event,
    string? OrganizationId,
    string SourceId,
    string Title,
    string Summary,
    IReadOnlyDictionary<string, string> Facts,
    DateTimeOffset OccurredAt);

/// <summary>Raises events; a failing channel never delays the caller: events are written to the outbox and sent later.</summary>
public interface INotificationCenter
{
    /// <returns>How many deliveries were queued (0 when no rule matches or the occurrence was already queued).</returns>
    Task<int> RaiseAsync(NotificationEvent notification, CancellationToken cancellationToken);
}

using Orleans;
using Orleans.Concurrency;

namespace SpotOptimizer.Grains.Interfaces.Notifications;

/// <summary>
/// WORK-RPT-01 for one organization (keyed by its id): an hourly durable reminder stores the last complete week's
/// report once (Monday 00:00 to Monday 00:00 in the organization's time zone) and sends it through its
/// savings_report rules. The reminder exists while the organization has such a rule.
/// </summary>
public interface IWeeklyReportGrain : IGrainWithStringKey
{
    /// <summary>Starts the reminder (idempotent).</summary>
    Task Schedule();

    /// <summary>The stored report of an ISO week (<c>2026-W48</c>), or one computed now (neither stored nor sent).</summary>
    [ReadOnly]
    Task<WeeklyReportDocument> Get(string isoWeek);
}

/// <param name="Json">The report (the record lives with the notifications module, not in this contract).</param>
/// <param name="Stored">True when this is the report stored (and sent) for the week; false when computed on demand.</param>
[GenerateSerializer, Immutable]
public sealed record WeeklyReportDocument(string Json, bool Stored);

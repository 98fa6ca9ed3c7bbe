using System.Text.Json;
using Orleans;
using Orleans.Runtime;
using SpotOptimizer.Grains.Interfaces.Clusters;
using SpotOptimizer.Grains.Interfaces.Market;
using SpotOptimizer.Grains.Market;
using SpotOptimizer.Grains.Interfaces.Notifications;
using SpotOptimizer.Notifications;
using SpotOptimizer.Notifications.Reports;
using SpotOptimizer.Notifications.Rules;
using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Grains.Notifications;

/// <summary>
/// WORK-RPT-01. Ticks hourly rather than once a week: Orleans fires no catch-up tick after downtime, so each tick
/// asks whether the last complete week has its report yet. The report table's key (organization, week) and the
/// outbox's key (report, rule) make "once per week" hold across restarts and silos.
/// </summary>
public sealed class WeeklyReportGrain(
    NotificationSettingsStore settings, WeeklyReportStore reports, AuditQueries ledger, INotificationCenter center, TimeProvider time)
    : Grain, IWeeklyReportGrain, IRemindable
{
    public const string ReminderName = "weekly-report";
    public static readonly TimeSpan Period = TimeSpan.FromHours(1);

    private string OrganizationId => this.GetPrimaryKeyString();

    public async Task Schedule()
    {
        if (await this.GetReminder(ReminderName) is null) await this.RegisterOrUpdateReminder(ReminderName, TimeSpan.FromMinutes(1), Period);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ReminderName) return;
        var current = await settings.GetAsync(OrganizationId, CancellationToken.None);
        if (!current.Rules.Any(r => r.Events.Contains(NotificationEvents.SavingsReport)))
        {
            // Nobody asked for the report any more: no hourly work for this organization until a rule asks again.
            if (await this.GetReminder(ReminderName) is { } reminder) await this.UnregisterReminder(reminder);
            return;
        }

        var zone = Zone(current.TimeZone);
        var week = IsoWeek.LastComplete(status.CurrentTickTime, zone);
        var report = await reports.GetAsync(OrganizationId, week, CancellationToken.None);
        if (report is null)
        {
            await reports.TryStoreAsync(await BuildAsync(week, current.TimeZone, zone), CancellationToken.None);
            // Whoever stored first wins; send what is stored.
            report = await reports.GetAsync(OrganizationId, week, CancellationToken.None);
        }

        // Idempotent by (report, rule): a tick that stored but died before queuing is completed by the next one.
        if (report is not null) await center.RaiseAsync(WeeklyReportBuilder.ToNotification(report), CancellationToken.None);
    }

    public async Task<WeeklyReportDocument> Get(string isoWeek)
    {
        if (!IsoWeek.TryParse(isoWeek, out var week)) throw new ArgumentException($"'{isoWeek}' is not an ISO week.", nameof(isoWeek));
        if (await reports.GetAsync(OrganizationId, week, CancellationToken.None) is { } stored) return Document(stored, true);
        var current = await settings.GetAsync(OrganizationId, CancellationToken.None);
        return Document(await BuildAsync(week, current.TimeZone, Zone(current.TimeZone)), false);
    }

    private async Task<WeeklyReport> BuildAsync(IsoWeek week, string timeZone, TimeZoneInfo zone)
    {
        var (from, to) = week.Bounds(zone);
        var entries = await ledger.RangeAsync(OrganizationId, from, to, CancellationToken.None);
        return WeeklyReportBuilder.Build(OrganizationId, week, timeZone, from, to, entries, await InventoryAsync(), time.GetUtcNow());
    }

    /// <summary>The managed clusters' nodes priced at their region's current market (one snapshot call per region).</summary>
    private async Task<InventoryEstimate> InventoryAsync()
    {
        var clusterIds = await GrainFactory.GetGrain<IOrganizationGrain>(OrganizationId).GetManagedClusters();
        var markets = new Dictionary<string, MarketQuotes?>(StringComparer.Ordinal);
        double hourly = 0;
        int nodes = 0, priced = 0, clusters = 0;
        DateTimeOffset? pricesAt = null;
        foreach (var clusterId in clusterIds)
        {
            var cluster = GrainFactory.GetGrain<IClusterGrain>(clusterId);
            if (await cluster.Get(OrganizationId) is not { } view || await cluster.GetNodes(OrganizationId) is not { } clusterNodes) continue;
            clusters++;
            if (!markets.TryGetValue(view.Region, out var quoted)) markets[view.Region] = quoted = await GrainFactory.GetGrain<IMarketGrain>(view.Region).GetSnapshot();
            // The market names zones its own way; this account's Spot nodes are priced in the same physical zone (as the optimize job does).
            var market = quoted?.ForTenant(await cluster.GetZoneIds(OrganizationId));
            foreach (var node in clusterNodes)
            {
                nodes++;
                var price = node.Lifecycle == "spot"
                    ? market?.Pools.FirstOrDefault(p => p.AvailabilityZone == node.AvailabilityZone && p.InstanceType == node.InstanceType)?.SpotPrice
                    : market?.OnDemand.FirstOrDefault(o => o.InstanceType == node.InstanceType)?.PricePerHour;
                if (price is not { } p) continue;
                hourly += p;
                priced++;
                pricesAt = market!.At;
            }
        }

        return new InventoryEstimate(hourly, nodes, priced, clusters, pricesAt);
    }

    private static WeeklyReportDocument Document(WeeklyReport report, bool stored) => new(JsonSerializer.Serialize(report, NotificationJson.Options), stored);

    private static TimeZoneInfo Zone(string id) => TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;
}

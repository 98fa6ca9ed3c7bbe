using System.Globalization;
using System.Text.Json;
using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Notifications.Reports;

/// <summary>
/// Computes a week's figures from what the platform records: the ledger's entries of that week (jobs with the
/// savings they planned, executor actions, interruptions, hibernation) and, for spend, the current inventory.
/// Pure: the same entries give the same report.
/// </summary>
public static class WeeklyReportBuilder
{
    private const double HoursPerWeek = 168;

    public static WeeklyReport Build(
        string organizationId, IsoWeek week, string timeZone, DateTimeOffset from, DateTimeOffset to, IReadOnlyList<LedgerEntry> entries,
        InventoryEstimate? inventory, DateTimeOffset generatedAt)
    {
        var inWeek = entries.Where(e => e.OccurredAt >= from && e.OccurredAt < to).ToList();
        var completed = inWeek.Where(e => e.Action == "optimization.completed").Select(e => (Entry: e, Details: Parse(e.After))).ToList();
        var real = completed.Where(c => !Bool(c.Details, "dry_run") && Number(c.Details, "replaced") > 0).ToList();
        double Realized(JsonElement d) => Number(d, "hourly_saving") * Number(d, "replaced") / Math.Max(1, Number(d, "replaced") + Number(d, "failed"));
        var accrued = real.Sum(c => Realized(c.Details) * Math.Max(0, (to - c.Entry.OccurredAt).TotalHours));
        var runRate = real.Sum(c => Realized(c.Details)) * HoursPerWeek;
        // Dry runs plan the same nodes again and again: the newest plan per cluster is the potential.
        var potential = completed.Where(c => Bool(c.Details, "dry_run")).GroupBy(c => c.Entry.Resource)
            .Sum(g => Number(g.MaxBy(c => c.Entry.Seq).Details, "hourly_saving")) * HoursPerWeek;
        var executor = inWeek.Where(e => e.Action.StartsWith("executor.", StringComparison.Ordinal)).Select(e => Text(Parse(e.After), "result")).ToList();
        var interruptions = inWeek.Where(e => e.Action is "spot.interruption_reported" or "spot.interruption_observed")
            .Select(e => $"{e.Resource}/{Text(Parse(e.After), "kind")}").Distinct(StringComparer.Ordinal).Count();
        var failedJobs = inWeek.Count(e => e.Action == "optimization.failed");
        var slept = inWeek.Count(e => e.Action == "cluster.hibernated");

        ReportFigure[] figures =
        [
            Spend(inventory),
            new("savings_usd", "Savings this week", Round(accrued), "USD",
                $"Estimate: for each of the {real.Count} optimization job(s) completed this week that replaced nodes for real, the hourly saving its plan " +
                "computed (On-Demand minus Spot price at decision time, in proportion to the replacements that succeeded) × the hours from its completion " +
                "to the end of the week. Assumes the new nodes kept running; savings of jobs from earlier weeks are not included."),
            new("savings_run_rate_usd_per_week", "Savings run rate added this week", Round(runRate), "USD/week",
                "Estimate: the same jobs' hourly savings × 168 h: what they save in a full week if the nodes stay as placed."),
            new("dry_run_potential_usd_per_week", "Potential savings seen in dry runs", Round(potential), "USD/week",
                "Estimate: the newest dry-run plan per cluster this week, hourly saving × 168 h: what acting on those plans would save. Nothing was changed."),
            new("cloud_actions", "Cloud actions executed", executor.Count(r => r == "OK"), "actions",
                "Exact: executor entries of the audit ledger this week (launch, drain, terminate, resize) whose result was OK."),
            new("dry_run_actions", "Cloud actions dry-run", executor.Count(r => r == "DRYRUN"), "actions",
                "Exact: executor entries of the audit ledger this week that were validated as a dry run (SAFE_MODE or the cluster's dry run)."),
            new("optimization_jobs", "Optimization jobs completed", completed.Count, "jobs",
                "Exact: optimization.completed entries of the audit ledger this week (real and dry-run)."),
            new("optimization_jobs_failed", "Optimization jobs failed", failedJobs, "jobs", "Exact: optimization.failed entries of the audit ledger this week."),
            new("interruptions", "Spot interruptions on your nodes", interruptions, "notices",
                "Exact: distinct instance and notice kind among the interruption notices reported by your agents or read from your accounts this week."),
            new("hibernations", "Clusters put to sleep", slept, "transitions", "Exact: cluster.hibernated entries of the audit ledger this week."),
        ];
        return new WeeklyReport(organizationId, week.ToString(), timeZone, from, to, generatedAt, figures);
    }

    /// <summary>The notification that carries a report: headline figures as facts.</summary>
    public static NotificationEvent ToNotification(WeeklyReport report) => new(
        NotificationEvents.SavingsReport, report.OrganizationId, $"report:{report.Week}",
        $"Weekly report {report.Week}",
        $"Your SpotOptimizer week {report.Week} ({report.From:yyyy-MM-dd} to {report.To:yyyy-MM-dd}, {report.TimeZone}). Estimates are labelled; see each figure's basis in GET /api/reports/weekly?week={report.Week}.",
        report.Figures.ToDictionary(f => f.Label, f => f.Value is { } v ? $"{v.ToString("0.##", CultureInfo.InvariantCulture)} {f.Unit}" : "not available", StringComparer.Ordinal),
        report.GeneratedAt);

    private static ReportFigure Spend(InventoryEstimate? inventory) => inventory is { PricedNodes: > 0 } i
        ? new("spend_usd", "Compute spend (run-rate estimate)", Round(i.HourlyUsd * HoursPerWeek), "USD",
            $"Estimate: the {i.PricedNodes} of {i.Nodes} node(s) of your {i.Clusters} managed cluster(s) that have a price, as discovery last saw them, " +
            $"× their current hourly price (Spot price for Spot nodes, On-Demand otherwise; prices of {i.PricesAt:u}) × 168 h. Assumes this fleet ran all " +
            "week; not your AWS bill (no discounts, storage or data transfer).")
        : new("spend_usd", "Compute spend (run-rate estimate)", null, "USD",
            "Not available: no managed cluster with nodes the current market prices. Spend is estimated from inventory and prices, not read from AWS billing.");

    private static double Round(double value) => Math.Round(value, 2);

    private static JsonElement Parse(string? json)
    {
        if (json is null) return default;
        try
        {
            return JsonDocument.Parse(json).RootElement.Clone();
        }
        catch (JsonException)
        {
            return default;
        }
    }

    private static double Number(JsonElement details, string name) =>
        details.ValueKind == JsonValueKind.Object && details.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : 0;

    private static bool Bool(JsonElement details, string name) =>
        details.ValueKind == JsonValueKind.Object && details.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    private static string Text(JsonElement details, string name) =>
        details.ValueKind == JsonValueKind.Object && details.TryGetProperty(name, out var value) ? value.ToString() : "";
}

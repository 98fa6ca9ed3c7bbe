namespace SpotOptimizer.Notifications.Reports;

/// <summary>One figure of a report. <see cref="Basis"/> says how it was computed, and whether it is exact or an estimate.</summary>
/// <param name="Value">Null when the platform has nothing to compute it from (the basis says why).</param>
public sealed record ReportFigure(
    string Key, string Label, [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never)] double? Value,
    string Unit, string Basis);

/// <summary>WORK-RPT-01: an organization's week of spend, savings, actions and interruptions.</summary>
public sealed record WeeklyReport(
    string OrganizationId, string Week, string TimeZone, DateTimeOffset From, DateTimeOffset To, DateTimeOffset GeneratedAt, IReadOnlyList<ReportFigure> Figures)
{
    public ReportFigure? Figure(string key) => Figures.FirstOrDefault(f => f.Key == key);
}

/// <summary>What the organization's managed clusters run now, priced at the current market.</summary>
/// <param name="HourlyUsd">Sum of the priced nodes' hourly prices.</param>
public sealed record InventoryEstimate(double HourlyUsd, int Nodes, int PricedNodes, int Clusters, DateTimeOffset? PricesAt);

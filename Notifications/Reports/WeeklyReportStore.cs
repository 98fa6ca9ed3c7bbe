using System.Text.Json;
using Dapper;
using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Notifications.Reports;

/// <summary>Stored weekly reports: one per organization and week (primary key), whichever builder stores it first.</summary>
public sealed class WeeklyReportStore(TenancyDatabase db)
{
    /// <returns>False when the week's report was already stored (nothing written).</returns>
    public async Task<bool> TryStoreAsync(WeeklyReport report, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO weekly_reports (organization_id, week, report_json, created_at_ms) VALUES (@OrganizationId, @Week, @Json, @NowMs)
            ON CONFLICT (organization_id, week) DO NOTHING
            """,
            new { report.OrganizationId, report.Week, Json = JsonSerializer.Serialize(report, NotificationJson.Options), NowMs = db.NowMs() },
            cancellationToken: cancellationToken)) == 1;
    }

    public async Task<WeeklyReport?> GetAsync(string organizationId, IsoWeek week, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var json = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT report_json FROM weekly_reports WHERE organization_id = @organizationId AND week = @Week",
            new { organizationId, Week = week.ToString() }, cancellationToken: cancellationToken));
        return json is null ? null : JsonSerializer.Deserialize<WeeklyReport>(json, NotificationJson.Options);
    }
}

using System.Security.Claims;
using System.Text.Json.Nodes;
using Orleans;
using SpotOptimizer.Api.Auth;
using SpotOptimizer.Api.Http;
using SpotOptimizer.Grains.Interfaces.Notifications;
using SpotOptimizer.Notifications.Reports;
using SpotOptimizer.Notifications.Rules;

namespace SpotOptimizer.Api.Apis;

/// <summary>WORK-RPT-01's weekly reports: spend, savings, actions and interruptions, each figure with its basis.</summary>
public static class ReportsApi
{
    public static IEndpointRouteBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/reports/weekly", Weekly).WithTags("reports").RequireAuthorization(AuthServices.ClientPolicy).Produces<WeeklyReportResponse>(StatusCodes.Status200OK);
        return app;
    }

    /// <summary>
    /// <c>week</c>: an ISO week (<c>2026-W48</c>); missing → the last complete week in the organization's time zone.
    /// A week with no stored report is computed now (<c>stored: false</c>) and not sent.
    /// </summary>
    public static async Task<IResult> Weekly(
        string? week, ClaimsPrincipal user, IGrainFactory grains, NotificationSettingsStore settings, TimeProvider time, CancellationToken cancellationToken)
    {
        IsoWeek isoWeek;
        if (week is null)
        {
            var timeZone = (await settings.GetAsync(user.OrganizationId(), cancellationToken)).TimeZone;
            isoWeek = IsoWeek.LastComplete(time.GetUtcNow(), TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var zone) ? zone : TimeZoneInfo.Utc);
        }
        else if (!IsoWeek.TryParse(week, out isoWeek))
        {
            return Problems.BadRequest("invalid_week", "week must be an ISO week such as 2026-W48 (year, W, two-digit week 01-53 that exists in that year).");
        }

        var document = await grains.GetGrain<IWeeklyReportGrain>(user.OrganizationId()).Get(isoWeek.ToString());
        var report = JsonNode.Parse(document.Json)!.AsObject();
        report["stored"] = document.Stored;
        return TypedResults.Text(report.ToJsonString(), "application/json");
    }

    /// <summary>
    /// The wire shape of <see cref="Weekly"/>: a <see cref="WeeklyReport"/> and <c>stored</c>. The handler sends the stored
    /// document as it was written (a report reads as it was sent), so this record only describes that JSON to the
    /// OpenAPI document; <c>OpenApiContractTests</c> holds it to a real answer.
    /// </summary>
    public sealed record WeeklyReportResponse(
        string OrganizationId, string Week, string TimeZone, DateTimeOffset From, DateTimeOffset To, DateTimeOffset GeneratedAt,
        IReadOnlyList<ReportFigure> Figures, bool Stored);
}

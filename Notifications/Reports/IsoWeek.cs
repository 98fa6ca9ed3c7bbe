using System.Globalization;
using System.Text.RegularExpressions;

namespace SpotOptimizer.Notifications.Reports;

/// <summary>An ISO-8601 week (<c>2026-W48</c>): Monday 00:00 to the next Monday 00:00, in the organization's time zone.</summary>
public readonly partial record struct IsoWeek(int Year, int Week)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-W{Week:D2}");

    public static bool TryParse(string? text, out IsoWeek week)
    {
        week = default;
        var match = text is null ? null : Format().Match(text);
        if (match is not { Success: true }) return false;
        var year = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var number = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        if (year is < 2000 or > 9998 || number < 1 || number > ISOWeek.GetWeeksInYear(year)) return false;
        week = new IsoWeek(year, number);
        return true;
    }

    public static IsoWeek Containing(DateTimeOffset instant, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(instant, zone).DateTime;
        return new IsoWeek(ISOWeek.GetYear(local), ISOWeek.GetWeekOfYear(local));
    }

    /// <summary>The newest week that has ended at <paramref name="now"/>.</summary>
    public static IsoWeek LastComplete(DateTimeOffset now, TimeZoneInfo zone) => Containing(now, zone).Previous();

    public IsoWeek Previous()
    {
        var monday = ISOWeek.ToDateTime(Year, Week, DayOfWeek.Monday).AddDays(-7);
        return new IsoWeek(ISOWeek.GetYear(monday), ISOWeek.GetWeekOfYear(monday));
    }

    /// <summary>The week's start and end as instants: local Mondays at midnight (or the first valid minute after, where DST skips midnight).</summary>
    public (DateTimeOffset From, DateTimeOffset To) Bounds(TimeZoneInfo zone)
    {
        var monday = ISOWeek.ToDateTime(Year, Week, DayOfWeek.Monday);
        return (LocalMidnight(monday, zone), LocalMidnight(monday.AddDays(7), zone));
    }

    private static DateTimeOffset LocalMidnight(DateTime local, TimeZoneInfo zone)
    {
        while (zone.IsInvalidTime(local)) local = local.AddMinutes(15);
        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), zone), TimeSpan.Zero);
    }

    [GeneratedRegex(@"^(\d{4})-W(\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Format();
}

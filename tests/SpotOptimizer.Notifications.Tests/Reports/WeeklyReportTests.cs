using SpotOptimizer.Notifications.Reports;
using SpotOptimizer.Notifications.Rules;
using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Notifications.Tests.Reports;

public sealed class WeeklyReportTests
{
    [Theory]
    [InlineData("2026-W48", true)]
    [InlineData("2026-W53", true)]
    [InlineData("2025-W53", false)]
    [InlineData("2026-W00", false)]
    [InlineData("2026-48", false)]
    [InlineData("2026-w48", false)]
    [InlineData("", false)]
    public void TryParse_Text_AcceptsOnlyWeeksThatExist(string text, bool valid) => Assert.Equal(valid, IsoWeek.TryParse(text, out _));

    [Fact]
    public void Bounds_Tokyo_AreLocalMondayMidnights()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
        var (from, to) = new IsoWeek(2026, 48).Bounds(zone);

        Assert.Equal(new DateTimeOffset(2026, 11, 22, 15, 0, 0, TimeSpan.Zero), from);
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 15, 0, 0, TimeSpan.Zero), to);
        // Monday 00:30 in Tokyo is still Sunday in UTC: the week that just ended there is 48.
        Assert.Equal(new IsoWeek(2026, 48), IsoWeek.LastComplete(new DateTimeOffset(2026, 11, 29, 15, 30, 0, TimeSpan.Zero), zone));
        Assert.Equal(new IsoWeek(2026, 47), IsoWeek.LastComplete(new DateTimeOffset(2026, 11, 29, 15, 30, 0, TimeSpan.Zero), TimeZoneInfo.Utc));
        Assert.Equal(new IsoWeek(2026, 53), new IsoWeek(2027, 1).Previous());
    }

    [Fact]
    public void Build_LedgerOfTheWeek_CountsExactFiguresAndLabelsEstimates()
    {
        var from = new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);
        var to = from.AddDays(7);
        LedgerEntry[] entries =
        [
            Entry(1, "optimization.completed", from.AddDays(6), """{"dry_run":false,"replaced":2,"failed":0,"hourly_saving":0.5}"""),
            Entry(2, "optimization.completed", from.AddDays(1), """{"dry_run":true,"replaced":0,"failed":0,"hourly_saving":9}"""),
            Entry(3, "optimization.completed", from.AddDays(2), """{"dry_run":true,"replaced":0,"failed":0,"hourly_saving":1}"""),
            Entry(4, "executor.launch_spot", from.AddDays(6), """{"result":"OK"}"""),
            Entry(5, "executor.terminate_node", from.AddDays(6), """{"result":"DRYRUN"}"""),
            Entry(6, "spot.interruption_reported", from.AddDays(3), """{"kind":"interruption"}""", "instance:i-1"),
            Entry(7, "spot.interruption_observed", from.AddDays(3), """{"kind":"interruption"}""", "instance:i-1"),
            Entry(8, "optimization.failed", from.AddDays(4), """{"code":"x"}"""),
            Entry(9, "executor.launch_spot", to.AddHours(1), """{"result":"OK"}"""),
        ];

        var report = WeeklyReportBuilder.Build("org-1", new IsoWeek(2026, 48), "UTC", from, to, entries, new InventoryEstimate(2, 4, 3, 1, from), to);

        Assert.Equal(12, report.Figure("savings_usd")!.Value); // 0.5 $/h for the last 24 h of the week
        Assert.Equal(84, report.Figure("savings_run_rate_usd_per_week")!.Value);
        Assert.Equal(168, report.Figure("dry_run_potential_usd_per_week")!.Value); // the newest dry run per cluster, 1 $/h
        Assert.Equal(1, report.Figure("cloud_actions")!.Value);
        Assert.Equal(1, report.Figure("dry_run_actions")!.Value);
        Assert.Equal(1, report.Figure("interruptions")!.Value);
        Assert.Equal(1, report.Figure("optimization_jobs_failed")!.Value);
        Assert.Equal(336, report.Figure("spend_usd")!.Value);
        Assert.All(report.Figures.Where(f => f.Key.EndsWith("usd", StringComparison.Ordinal) || f.Key.Contains("usd_", StringComparison.Ordinal)),
            f => Assert.StartsWith("Estimate", f.Basis, StringComparison.Ordinal));
        Assert.All(report.Figures.Where(f => f.Unit is "actions" or "jobs" or "notices"), f => Assert.StartsWith("Exact", f.Basis, StringComparison.Ordinal));
    }

    [Fact]
    public void Build_NoInventory_SpendIsNullWithItsReason()
    {
        var report = WeeklyReportBuilder.Build("org-1", new IsoWeek(2026, 48), "UTC", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddDays(7), [], null, DateTimeOffset.UnixEpoch);

        Assert.Null(report.Figure("spend_usd")!.Value);
        Assert.StartsWith("Not available", report.Figure("spend_usd")!.Basis, StringComparison.Ordinal);
    }

    private static LedgerEntry Entry(long seq, string action, DateTimeOffset at, string after, string resource = "cluster:c1") =>
        new(seq, "org-1", seq, "system", null, action, resource, null, after, at, "", "");
}

public sealed class RuleValidationTests
{
    [Fact]
    public void Problems_BadRules_NameEveryFieldAndAcceptTheGoodOnes()
    {
        RuleValidation.RuleInput[] rules =
        [
            new(["job_failed", "coffee_ready"], "webhook", "https://hooks.example.com/x", null),
            new(["agent_lost"], "pager", "https://example.com", null),
            new(["agent_lost"], "slack", "http://hooks.slack.com/services/x", null),
            new(["agent_lost"], "teams", "https://169.254.169.254/latest/meta-data", null),
            new(["savings_report"], "email", null, ["ops@example.com", "not-an-address"]),
            new(["interruption_hit"], "webhook", "https://hooks.example.com/x", null),
            new(["safe_mode_entered"], "email", null, ["ops@example.com"]),
        ];

        var problems = RuleValidation.Problems(rules, allowInsecureUrls: false).ToLookup(p => p.Field);

        Assert.Contains("coffee_ready", Assert.Single(problems["rules[0].events"]).Message, StringComparison.Ordinal);
        Assert.Single(problems["rules[1].channel"]);
        Assert.Equal("must use https.", Assert.Single(problems["rules[2].url"]).Message);
        Assert.Contains("private", Assert.Single(problems["rules[3].url"]).Message, StringComparison.Ordinal);
        Assert.Contains("not-an-address", Assert.Single(problems["rules[4].emails"]).Message, StringComparison.Ordinal);
        Assert.Single(problems["rules[5]"]); // the same webhook URL twice
        Assert.Empty(problems["rules[6].emails"]);
        Assert.Null(RuleValidation.UrlProblem("http://127.0.0.1:5000/hook", allowInsecureUrls: true));
    }
}

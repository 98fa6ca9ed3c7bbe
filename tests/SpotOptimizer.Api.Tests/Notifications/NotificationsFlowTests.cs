using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Orleans;
using SpotOptimizer.Api.Tests.Onboarding;
using SpotOptimizer.Api.Tests.Sweeps;
using SpotOptimizer.Cloud;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.Grains.Interfaces.Clusters;
using SpotOptimizer.Grains.Interfaces.Notifications;
using SpotOptimizer.Notifications.Channels;
using SpotOptimizer.Testing;
using static SpotOptimizer.Api.Tests.Optimization.OptimizationJourney;

namespace SpotOptimizer.Api.Tests.Notifications;

/// <summary>
/// Notification rules, deliveries and weekly reports through the HTTP API on the real host: events raised by the
/// grains reach a real webhook receiver (signature verified), Slack-shaped and e-mail destinations, with retries.
/// </summary>
public abstract class NotificationsFlowTests(bool postgres)
{
    public static Dictionary<string, string?> NotifySettings(params (string Key, string? Value)[] extra) => Settings(
        [("Notifications:AllowInsecureUrls", "true"), ("Notifications:BaseDelay", "00:00:00.200"), ("Notifications:PollInterval", "00:00:00.100"), .. extra]);

    [SkippableFact]
    public async Task Rules_PutThenGet_ReplacesTheSetValidatesAndAuditsWithSecretsMasked()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres, NotifySettings());
        var tenant = await TenantClient.SignUpAsync(app);
        var slack = "https://hooks.slack.com/services/T000/B000/supersecretpath";

        var put = await PutRulesAsync(tenant, new object[]
        {
            new { events = new[] { "job_failed", "agent_lost" }, channel = "webhook", url = "https://hooks.example.com/spot" },
            new { events = new[] { "interruption_hit" }, channel = "slack", url = slack },
            new { events = new[] { "savings_report" }, channel = "email", emails = new[] { "ops@example.com" } },
        });

        var secret = put.GetProperty("signing_secret").GetString()!;
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        var got = await tenant.GetJsonAsync("/api/notifications/rules");
        Assert.Equal(3, got.GetProperty("rules").GetArrayLength());
        Assert.True(got.GetProperty("signing_secret_configured").GetBoolean());
        Assert.DoesNotContain(secret, got.GetRawText(), StringComparison.Ordinal);
        var audit = (await tenant.GetJsonAsync("/api/audit?action=notifications.rules_replaced")).GetRawText();
        Assert.Contains("notifications.rules_replaced", audit, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, audit, StringComparison.Ordinal);
        Assert.DoesNotContain("supersecretpath", audit, StringComparison.Ordinal);

        // Bad rules: every field named, nothing written.
        using var bad = await tenant.Http.PutAsJsonAsync("/api/notifications/rules", new
        {
            rules = new object[] { new { events = new[] { "coffee" }, channel = "pager" }, new { events = new[] { "job_failed" }, channel = "email", emails = new[] { "x" } } },
        });
        var problem = await ProblemAssert.IsAsync(bad, HttpStatusCode.BadRequest, "validation_failed");
        var fields = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("rules[0].events", fields);
        Assert.Contains("rules[0].channel", fields);
        Assert.Contains("rules[1].emails", fields);
        Assert.Equal(got.GetRawText(), (await tenant.GetJsonAsync("/api/notifications/rules")).GetRawText());

        using var badZone = await tenant.Http.PutAsJsonAsync("/api/notifications/settings", new { timezone = "Mars/Olympus" });
        await ProblemAssert.IsAsync(badZone, HttpStatusCode.BadRequest, "validation_failed");
        using var zone = await tenant.Http.PutAsJsonAsync("/api/notifications/settings", new { timezone = "Asia/Tokyo" });
        Assert.Equal("Asia/Tokyo", (await TenantClient.ExpectAsync(zone, HttpStatusCode.OK)).GetProperty("timezone").GetString());

        var rotated = await tenant.PostJsonAsync("/api/notifications/signing-secret", null);
        Assert.NotEqual(secret, rotated.GetProperty("signing_secret").GetString());
        using var badLimit = await tenant.Http.GetAsync("/api/notifications/deliveries?limit=0");
        await ProblemAssert.IsAsync(badLimit, HttpStatusCode.BadRequest, "invalid_limit");
    }

    [SkippableFact]
    public async Task Interruption_SlowFailingReceiver_RaisingCallIsNotDelayedAndTheRetriedDeliveryIsSignedAndLogged()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres, NotifySettings(("Notifications:Timeout", "00:00:05")));
        using var receiver = new WebhookReceiver { Delay = TimeSpan.FromSeconds(10) };
        var (tenant, agent, spotInstance) = await AgentTenantAsync(app, "ops@notify-interrupt.io");
        var secret = (await PutRulesAsync(tenant, new object[] { new { events = new[] { "interruption_hit" }, channel = "webhook", url = receiver.Url() } }))
            .GetProperty("signing_secret").GetString()!;

        var watch = Stopwatch.StartNew();
        await TenantClient.ExpectAsync(await agent.PostAsJsonAsync("/api/agent/interruptions", new { instance_id = spotInstance, kind = "interruption" }), HttpStatusCode.OK);
        watch.Stop();

        // The receiver takes 10 s and our client gives up after 5 s: had the report (and its ledger write) waited for either,
        // it would take 5 s or more; margins this wide keep a loaded CI machine from failing it.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"the interruption report took {watch.Elapsed}");
        await receiver.WaitForAsync(within: TimeSpan.FromSeconds(20));
        receiver.Delay = TimeSpan.Zero;
        var delivery = await Eventually.Wait(
            async () => (await tenant.GetJsonAsync("/api/notifications/deliveries")).GetProperty("deliveries").EnumerateArray().FirstOrDefault(),
            d => d.ValueKind == JsonValueKind.Object && d.GetProperty("status").GetString() == "delivered", TimeSpan.FromSeconds(40), "the delivery to succeed");
        var attempts = delivery.GetProperty("attempt_log").EnumerateArray().ToList();
        Assert.True(attempts.Count >= 2, delivery.GetRawText());
        Assert.StartsWith("timed out", attempts[0].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.String, attempts[0].GetProperty("next_retry_at").ValueKind);
        Assert.Equal(200, attempts[^1].GetProperty("status_code").GetInt32());
        Assert.Equal("interruption_hit", delivery.GetProperty("event").GetString());
        var request = receiver.Received[^1];
        Assert.True(WebhookSignature.Verify(request.Header(WebhookSignature.Header), secret, request.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal(tenant.OrganizationId, body.RootElement.GetProperty("organization_id").GetString());
        Assert.Equal(request.Header(WebhookSignature.EventIdHeader), body.RootElement.GetProperty("id").GetString());
        Assert.Single(receiver.Received.Select(r => r.Header(WebhookSignature.EventIdHeader)).Distinct());
    }

    [SkippableFact]
    public async Task AgentLost_SilentAgentOnTheOptimizeTick_RecordedOnceNotifiedAndRecoveredOnTheNextHeartbeat()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres, NotifySettings());
        using var receiver = new WebhookReceiver();
        var tenant = await TenantClient.SignUpAsync(app, "ops@notify-lost.io");
        var accountId = await Journey.LinkAccountAsync(tenant, SimulatedWorld.DemoAccountId);
        var (clusterId, token, _) = await Journey.ConnectFirstClusterAsync(tenant, accountId);
        await PutRulesAsync(tenant, new object[] { new { events = new[] { "agent_lost" }, channel = "webhook", url = receiver.Url() } });
        using (var beat = await Journey.HeartbeatAsync(app.CreateClient(), token)) Journey.AssertStatus(beat, HttpStatusCode.OK);
        var cluster = app.Services.GetRequiredService<IGrainFactory>().GetGrain<IClusterGrain>(clusterId);

        await cluster.TickAsync("optimize", DateTimeOffset.UtcNow.AddSeconds(30), TimeSpan.FromMinutes(5));
        Assert.DoesNotContain("cluster.agent_lost", await Journey.ActivityActionsAsync(tenant));
        await cluster.TickAsync("optimize", DateTimeOffset.UtcNow.AddMinutes(2), TimeSpan.FromMinutes(5));
        await cluster.TickAsync("optimize", DateTimeOffset.UtcNow.AddMinutes(7), TimeSpan.FromMinutes(5));

        Assert.Single(await Journey.ActivityActionsAsync(tenant), a => a == "cluster.agent_lost");
        var request = await receiver.WaitForAsync(within: TimeSpan.FromSeconds(15));
        Assert.Equal("agent_lost", request.Header(WebhookSignature.EventHeader));
        using (var beat = await Journey.HeartbeatAsync(app.CreateClient(), token)) Journey.AssertStatus(beat, HttpStatusCode.OK);
        Assert.Equal(2, (await Journey.ActivityActionsAsync(tenant)).Count(a => a == "cluster.agent_reporting"));
        await Task.Delay(500);
        Assert.Single(receiver.Received);
    }

    [SkippableFact]
    public async Task WeeklyReport_MondayInTheOrganizationsZone_StoredOnceSentByEmailAndSlackAndServed()
    {
        using var smtp = new SmtpSink();
        await using var app = await SpotOptimizerApp.CreateAsync(postgres, NotifySettings([.. smtp.Settings.Select(s => (s.Key, s.Value))]));
        using var slack = new WebhookReceiver();
        var (tenant, agent, spotInstance) = await AgentTenantAsync(app, "ops@notify-report.io");
        await PutRulesAsync(tenant, new object[]
        {
            new { events = new[] { "savings_report" }, channel = "email", emails = new[] { "finance@example.com" } },
            new { events = new[] { "savings_report" }, channel = "slack", url = slack.Url() },
        });
        using (var zone = await tenant.Http.PutAsJsonAsync("/api/notifications/settings", new { timezone = "Asia/Tokyo" })) Journey.AssertStatus(zone, HttpStatusCode.OK);
        await TenantClient.ExpectAsync(await agent.PostAsJsonAsync("/api/agent/interruptions", new { instance_id = spotInstance, kind = "interruption" }), HttpStatusCode.OK);
        var tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
        var thisWeek = ISOWeekOf(DateTimeOffset.UtcNow, tokyo);
        // The tick that follows the Monday 00:00 (Tokyo) ending this week, twice (a retried tick, another silo).
        var nextMonday = NextLocalMonday(DateTimeOffset.UtcNow, tokyo).AddMinutes(30);
        var reports = app.Services.GetRequiredService<IGrainFactory>().GetGrain<IWeeklyReportGrain>(tenant.OrganizationId);
        await reports.TickAsync("weekly-report", nextMonday, TimeSpan.FromHours(1));
        await reports.TickAsync("weekly-report", nextMonday.AddHours(1), TimeSpan.FromHours(1));

        var mail = await smtp.WaitForAsync("finance@example.com", timeout: TimeSpan.FromSeconds(20));
        Assert.Equal($"[SpotOptimizer] Weekly report {thisWeek}", mail.Subject);
        var posted = await slack.WaitForAsync(within: TimeSpan.FromSeconds(20));
        Assert.Contains($"Weekly report {thisWeek}", posted.Text, StringComparison.Ordinal);
        var report = await tenant.GetJsonAsync($"/api/reports/weekly?week={thisWeek}");
        Assert.True(report.GetProperty("stored").GetBoolean());
        Assert.Equal("Asia/Tokyo", report.GetProperty("time_zone").GetString());
        var figures = report.GetProperty("figures").EnumerateArray().ToDictionary(f => f.GetProperty("key").GetString()!);
        Assert.Equal(1, figures["interruptions"].GetProperty("value").GetDouble());
        Assert.All(figures.Values, f => Assert.False(string.IsNullOrWhiteSpace(f.GetProperty("basis").GetString())));
        Assert.StartsWith("Estimate", figures["spend_usd"].GetProperty("basis").GetString(), StringComparison.Ordinal);
        await Task.Delay(500);
        Assert.Single(smtp.Received, m => m.Subject.Contains(thisWeek, StringComparison.Ordinal));
        Assert.Single(slack.Received);

        // Another week is computed on demand, not stored; no week is the last complete one; a bad week is refused.
        var earlier = await tenant.GetJsonAsync("/api/reports/weekly?week=2026-W01");
        Assert.False(earlier.GetProperty("stored").GetBoolean());
        Assert.Equal(ISOWeekOf(DateTimeOffset.UtcNow, tokyo, -7), (await tenant.GetJsonAsync("/api/reports/weekly")).GetProperty("week").GetString());
        using var bad = await tenant.Http.GetAsync("/api/reports/weekly?week=2026-48");
        await ProblemAssert.IsAsync(bad, HttpStatusCode.BadRequest, "invalid_week");
        var other = await TenantClient.SignUpAsync(app);
        var foreign = await other.GetJsonAsync($"/api/reports/weekly?week={thisWeek}");
        Assert.False(foreign.GetProperty("stored").GetBoolean());
        Assert.Equal(other.OrganizationId, foreign.GetProperty("organization_id").GetString());
    }

    [SkippableFact]
    public async Task TestSend_NoRules_422_WithRules_QueuesOnePerRule()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres, NotifySettings());
        using var receiver = new WebhookReceiver();
        var tenant = await TenantClient.SignUpAsync(app);
        using (var none = await tenant.Http.PostAsync("/api/notifications/test", null)) await ProblemAssert.IsAsync(none, HttpStatusCode.UnprocessableEntity, "no_rules");
        await PutRulesAsync(tenant, new object[] { new { events = new[] { "job_failed" }, channel = "teams", url = receiver.Url() } });

        var queued = await tenant.PostJsonAsync("/api/notifications/test", null, HttpStatusCode.Accepted);

        Assert.Equal(1, queued.GetProperty("queued").GetInt32());
        var request = await receiver.WaitForAsync(within: TimeSpan.FromSeconds(15));
        Assert.Contains("application/vnd.microsoft.card.adaptive", request.Text, StringComparison.Ordinal);
    }

    public static async Task<JsonElement> PutRulesAsync(TenantClient tenant, object[] rules)
    {
        using var response = await tenant.Http.PutAsJsonAsync("/api/notifications/rules", new { rules });
        return await TenantClient.ExpectAsync(response, HttpStatusCode.OK);
    }

    /// <summary>A tenant with the demo account's first cluster connected, an agent client, and one of the cluster's Spot nodes.</summary>
    public static async Task<(TenantClient Tenant, HttpClient Agent, string SpotInstance)> AgentTenantAsync(SpotOptimizerApp app, string email)
    {
        var tenant = await TenantClient.SignUpAsync(app, email);
        var accountId = await Journey.LinkAccountAsync(tenant, SimulatedWorld.DemoAccountId);
        var (_, token, _) = await Journey.ConnectFirstClusterAsync(tenant, accountId);
        var name = (await tenant.GetJsonAsync("/api/client/clusters")).GetProperty("clusters").EnumerateArray().Single().GetProperty("name").GetString()!;
        var spot = SimulatedCloudOf(app).World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion("us-east-1")!.NodesOf(name)
            .First(n => n.TerminatedAt is null && n.Instance.Lifecycle == InstanceLifecycle.Spot).Instance.InstanceId;
        var agent = app.CreateClient();
        agent.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (tenant, agent, spot);
    }

    public static string ISOWeekOf(DateTimeOffset instant, TimeZoneInfo zone, int days = 0)
    {
        var local = TimeZoneInfo.ConvertTime(instant, zone).DateTime.AddDays(days);
        return string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(local):D4}-W{ISOWeek.GetWeekOfYear(local):D2}");
    }

    public static DateTimeOffset NextLocalMonday(DateTimeOffset instant, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(instant, zone).Date;
        var monday = local.AddDays(((int)DayOfWeek.Monday - (int)local.DayOfWeek + 7) % 7 is 0 ? 7 : ((int)DayOfWeek.Monday - (int)local.DayOfWeek + 7) % 7);
        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(monday, zone), TimeSpan.Zero);
    }
}

public sealed class SqliteNotificationsFlowTests() : NotificationsFlowTests(postgres: false);

public sealed class PostgresNotificationsFlowTests() : NotificationsFlowTests(postgres: true);

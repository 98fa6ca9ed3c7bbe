using System.Net;
using System.Net.Http.Json;
using Orleans;
using SpotOptimizer.Grains.Interfaces.Notifications;
using SpotOptimizer.Notifications.Channels;
using SpotOptimizer.Testing;
using static SpotOptimizer.Api.Tests.Notifications.NotificationsFlowTests;

namespace SpotOptimizer.Api.Tests.Notifications;

/// <summary>
/// Two instances of the real host on one PostgreSQL: both observe every ledger entry and both run a dispatcher, yet a
/// receiver gets each event once, and a week's report is built and sent once even when both silos tick for it.
/// </summary>
public sealed class TwoHostNotificationTests : TwoHostTest
{
    protected override IReadOnlyDictionary<string, string?> SettingsOfA => NotifySettings();

    [SkippableFact]
    public async Task InterruptionAndWeeklyReport_TwoInstancesObserveAndTick_EachIsDeliveredOnce()
    {
        using var receiver = new WebhookReceiver();
        var (tenant, agent, spotInstance) = await AgentTenantAsync(A, "ops@two-hosts.io");
        await PutRulesAsync(tenant, new object[] { new { events = new[] { "interruption_hit", "savings_report" }, channel = "webhook", url = receiver.Url() } });

        await TenantClient.ExpectAsync(await agent.PostAsJsonAsync("/api/agent/interruptions", new { instance_id = spotInstance, kind = "interruption" }), HttpStatusCode.OK);
        var monday = NextLocalMonday(DateTimeOffset.UtcNow, TimeZoneInfo.Utc).AddMinutes(5);
        await Task.WhenAll(
            A.Services.GetRequiredService<IGrainFactory>().GetGrain<IWeeklyReportGrain>(tenant.OrganizationId).TickAsync("weekly-report", monday, TimeSpan.FromHours(1)),
            B.Services.GetRequiredService<IGrainFactory>().GetGrain<IWeeklyReportGrain>(tenant.OrganizationId).TickAsync("weekly-report", monday, TimeSpan.FromHours(1)));

        await Eventually.Wait(() => receiver.Received.Count, count => count >= 2, TimeSpan.FromSeconds(20), "both events delivered");
        await Task.Delay(TimeSpan.FromSeconds(2)); // time for a duplicate to show up, were there one
        Assert.Equal(["interruption_hit", "savings_report"], receiver.Received.Select(r => r.Header(WebhookSignature.EventHeader)).Order(StringComparer.Ordinal));
        var deliveries = (await tenant.GetJsonAsync("/api/notifications/deliveries")).GetProperty("deliveries");
        Assert.Equal(2, deliveries.GetArrayLength());
    }
}

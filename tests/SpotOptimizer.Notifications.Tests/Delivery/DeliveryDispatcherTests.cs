using System.Net;
using SpotOptimizer.Notifications.Channels;
using SpotOptimizer.Notifications.Outbox;
using SpotOptimizer.Notifications.Rules;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Notifications.Tests.Delivery;

/// <summary>The outbox and its dispatcher on SQLite with a manual clock, against a real HTTP receiver that verifies signatures.</summary>
public sealed class DeliveryDispatcherTests : IAsyncLifetime
{
    private const string Org = "org-1";
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
    private readonly string _directory = Directory.CreateTempSubdirectory("notify-").FullName;
    private readonly WebhookReceiver _receiver = new();
    private NotificationHost _host = null!;
    private string _secret = "";

    public async Task InitializeAsync()
    {
        _host = await NotificationHost.SqliteAsync(_clock, _directory);
        var change = await _host.Settings.ReplaceRulesAsync(Org, "user:u1",
            [NotificationRule.Create([NotificationEvents.JobFailed], ChannelNames.Webhook, _receiver.Url(), null)], CancellationToken.None);
        _secret = change.NewSigningSecret!;
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _receiver.Dispose();
        Directory.Delete(_directory, true);
    }

    [Fact]
    public async Task DeliverDue_ReceiverFailsTwiceThenAccepts_RetriesWithBackoffAndLogsEveryAttempt()
    {
        _receiver.Answer(HttpStatusCode.ServiceUnavailable, HttpStatusCode.TooManyRequests);
        var start = _clock.GetUtcNow();
        Assert.Equal(1, await _host.Center.RaiseAsync(NotificationHost.Event(Org, "ledger:1"), CancellationToken.None));

        Assert.Equal(1, await _host.Dispatcher.DeliverDueAsync(CancellationToken.None));
        Assert.Equal(0, await _host.Dispatcher.DeliverDueAsync(CancellationToken.None)); // not due before its backoff
        _clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(1, await _host.Dispatcher.DeliverDueAsync(CancellationToken.None));
        _clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(0, await _host.Dispatcher.DeliverDueAsync(CancellationToken.None));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await _host.Dispatcher.DeliverDueAsync(CancellationToken.None));

        var delivery = Assert.Single(await _host.Outbox.ListAsync(Org, 10, CancellationToken.None));
        Assert.Equal(DeliveryStatus.Delivered, delivery.Status);
        Assert.Equal([503, 429, 200], delivery.AttemptLog.Select(a => a.StatusCode ?? 0));
        Assert.Equal([start + TimeSpan.FromSeconds(30), start + TimeSpan.FromSeconds(90), null], delivery.AttemptLog.Select(a => a.NextRetryAt));
        Assert.Equal(3, _receiver.Received.Count);
        Assert.All(_receiver.Received, r =>
        {
            Assert.True(WebhookSignature.Verify(r.Header(WebhookSignature.Header), _secret, r.Body, _clock.GetUtcNow(), TimeSpan.FromMinutes(5)), r.Header(WebhookSignature.Header));
            Assert.Equal("ledger:1", r.Header(WebhookSignature.EventIdHeader));
        });
    }

    [Fact]
    public async Task DeliverDue_ReceiverRefuses400_FailsAtOnceWithoutRetry()
    {
        _receiver.Answer(HttpStatusCode.BadRequest);
        await _host.Center.RaiseAsync(NotificationHost.Event(Org, "ledger:2"), CancellationToken.None);

        await _host.Dispatcher.DeliverDueAsync(CancellationToken.None);
        _clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(0, await _host.Dispatcher.DeliverDueAsync(CancellationToken.None));

        var delivery = Assert.Single(await _host.Outbox.ListAsync(Org, 10, CancellationToken.None));
        Assert.Equal(DeliveryStatus.Failed, delivery.Status);
        var attempt = Assert.Single(delivery.AttemptLog);
        Assert.Equal(400, attempt.StatusCode);
        Assert.Null(attempt.NextRetryAt);
    }

    [Fact]
    public async Task DeliverDue_NothingListening_ConnectionErrorRetriedUntilMaxAttemptsThenFailed()
    {
        int closedPort;
        using (var gone = new WebhookReceiver()) closedPort = gone.Port;
        await _host.Settings.ReplaceRulesAsync(Org, "user:u1",
            [NotificationRule.Create([NotificationEvents.JobFailed], ChannelNames.Webhook, $"http://127.0.0.1:{closedPort}/hook", null)], CancellationToken.None);
        await _host.Center.RaiseAsync(NotificationHost.Event(Org, "ledger:3"), CancellationToken.None);

        for (var i = 0; i < 8; i++)
        {
            await _host.Dispatcher.DeliverDueAsync(CancellationToken.None);
            _clock.Advance(TimeSpan.FromMinutes(31));
        }

        var delivery = Assert.Single(await _host.Outbox.ListAsync(Org, 10, CancellationToken.None));
        Assert.Equal(DeliveryStatus.Failed, delivery.Status);
        Assert.Equal(6, delivery.Attempts);
        Assert.All(delivery.AttemptLog, a => Assert.StartsWith("connection failed", a.Error, StringComparison.Ordinal));
        Assert.Null(delivery.AttemptLog[^1].NextRetryAt);
    }

    [Fact]
    public async Task Raise_SameOccurrenceTwice_QueuesAndDeliversOnce()
    {
        Assert.Equal(1, await _host.Center.RaiseAsync(NotificationHost.Event(Org, "ledger:4"), CancellationToken.None));
        Assert.Equal(0, await _host.Center.RaiseAsync(NotificationHost.Event(Org, "ledger:4"), CancellationToken.None));

        await _host.Dispatcher.DeliverDueAsync(CancellationToken.None);
        await _host.Dispatcher.DeliverDueAsync(CancellationToken.None);

        Assert.Single(_receiver.Received);
        Assert.Single(await _host.Outbox.ListAsync(Org, 10, CancellationToken.None));
    }

    [Fact]
    public async Task Raise_PlatformEventWithoutOrganization_ReachesEveryOrganizationWithAMatchingRuleOnly()
    {
        await _host.Settings.ReplaceRulesAsync(Org, "user:u1",
            [NotificationRule.Create([NotificationEvents.SafeModeEntered], ChannelNames.Webhook, _receiver.Url("one"), null)], CancellationToken.None);
        await _host.Settings.ReplaceRulesAsync("org-2", "user:u2",
            [NotificationRule.Create([NotificationEvents.SafeModeEntered], ChannelNames.Webhook, _receiver.Url("two"), null)], CancellationToken.None);
        await _host.Settings.ReplaceRulesAsync("org-3", "user:u3",
            [NotificationRule.Create([NotificationEvents.JobFailed], ChannelNames.Webhook, _receiver.Url("three"), null)], CancellationToken.None);

        var queued = await _host.Center.RaiseAsync(
            NotificationHost.Event(null!, "safe_mode:1", NotificationEvents.SafeModeEntered) with { OrganizationId = null }, CancellationToken.None);
        await _host.Dispatcher.DeliverDueAsync(CancellationToken.None);

        Assert.Equal(2, queued);
        Assert.Equal(["/one", "/two"], _receiver.Received.Select(r => r.Path).Order(StringComparer.Ordinal));
        Assert.Contains("\"organization_id\":\"org-2\"", _receiver.Received.Single(r => r.Path == "/two").Text, StringComparison.Ordinal);
    }
}

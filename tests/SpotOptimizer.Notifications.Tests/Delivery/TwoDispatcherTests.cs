using SpotOptimizer.Notifications.Outbox;
using SpotOptimizer.Notifications.Rules;
using SpotOptimizer.Storage;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Notifications.Tests.Delivery;

/// <summary>Two hosts (two processes' worth of services) on one PostgreSQL database, observing and sending the same events.</summary>
public sealed class TwoDispatcherTests
{
    [SkippableFact]
    public async Task DeliverDue_TwoHostsRaiseAndDispatchTheSameEvents_EachIsDeliveredOnce()
    {
        var server = await PostgresServer.RequireAsync();
        var database = await server.CreateDatabaseAsync();
        using var receiver = new WebhookReceiver();
        try
        {
            await using var a = await NotificationHost.StartAsync(s => s.AddPostgresDatabase(database), TimeProvider.System);
            await using var b = await NotificationHost.StartAsync(s => s.AddPostgresDatabase(database), TimeProvider.System);
            await a.Settings.ReplaceRulesAsync("org-1", "user:u1",
                [NotificationRule.Create([NotificationEvents.JobFailed], ChannelNames.Webhook, receiver.Url(), null)], CancellationToken.None);

            // Both instances observe every ledger entry and raise it.
            for (var i = 0; i < 30; i++)
            {
                await Task.WhenAll(
                    a.Center.RaiseAsync(NotificationHost.Event("org-1", $"ledger:{i}"), CancellationToken.None),
                    b.Center.RaiseAsync(NotificationHost.Event("org-1", $"ledger:{i}"), CancellationToken.None));
            }

            for (var pass = 0; pass < 5; pass++)
            {
                await Task.WhenAll(a.Dispatcher.DeliverDueAsync(CancellationToken.None), b.Dispatcher.DeliverDueAsync(CancellationToken.None));
            }

            Assert.Equal(30, receiver.Received.Count);
            Assert.Equal(30, receiver.Received.Select(r => r.Header("X-SpotOptimizer-Event-Id")).Distinct(StringComparer.Ordinal).Count());
            Assert.All(await a.Outbox.ListAsync("org-1", 100, CancellationToken.None), d => Assert.Equal(DeliveryStatus.Delivered, d.Status));
        }
        finally
        {
            await server.DropDatabaseAsync(database);
        }
    }
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using SpotOptimizer.Notifications.Outbox;
using SpotOptimizer.Notifications.Rules;
using SpotOptimizer.Storage;
using SpotOptimizer.Tenancy;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Notifications.Tests.Delivery;

/// <summary>
/// The notifications module on a real database (a SQLite file, or a PostgreSQL database shared by several hosts),
/// without the actor runtime: the ledger's feed is a no-op, the clock is the test's.
/// </summary>
public sealed class NotificationHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private NotificationHost(ServiceProvider services) => _services = services;

    public IServiceProvider Services => _services;

    public NotificationSettingsStore Settings => _services.GetRequiredService<NotificationSettingsStore>();

    public NotificationOutbox Outbox => _services.GetRequiredService<NotificationOutbox>();

    public DeliveryDispatcher Dispatcher => _services.GetRequiredService<DeliveryDispatcher>();

    public INotificationCenter Center => _services.GetRequiredService<INotificationCenter>();

    public static async Task<NotificationHost> StartAsync(
        Action<IServiceCollection> database, TimeProvider time, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Notifications:AllowInsecureUrls"] = "true",
            ["Notifications:Timeout"] = "00:00:02",
        }.Concat(settings ?? new Dictionary<string, string?>())).Build();
        var services = new ServiceCollection().AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(time);
        database(services);
        services.AddTenancy();
        services.TryAddSingleton<IActivityPublisher, NoFeed>();
        services.TryAddSingleton<ICallerContext, NoFeed>();
        services.AddNotifications(configuration);
        var provider = services.BuildServiceProvider();
        var db = provider.GetRequiredService<TenancyDatabase>();
        await db.ApplySchemaAsync(CancellationToken.None);
        await NotificationRegistration.ApplySchemaAsync(db, CancellationToken.None);
        return new NotificationHost(provider);
    }

    public static Task<NotificationHost> SqliteAsync(TimeProvider time, string directory, IReadOnlyDictionary<string, string?>? settings = null) =>
        StartAsync(s => s.AddSqliteDatabase($"Data Source={Path.Combine(directory, "notifications.db")}"), time, settings);

    public ValueTask DisposeAsync() => _services.DisposeAsync();

    /// <summary>An event of the organization with a fixed source id (so raising it again is the same occurrence).</summary>
    public static NotificationEvent Event(string organizationId, string sourceId, string notificationEvent = NotificationEvents.JobFailed) => new(
        notificationEvent, organizationId, sourceId, "Optimization job failed", "A job failed.",
        new Dictionary<string, string>(StringComparer.Ordinal) { ["Code"] = "account_not_linked" }, new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero));

    private sealed class NoFeed : IActivityPublisher, ICallerContext
    {
        public string? Impersonator => null;

        public Task PublishAsync(LedgerEntry entry) => Task.CompletedTask;
    }
}

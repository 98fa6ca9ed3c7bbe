using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SpotOptimizer.Notifications.Channels;
using SpotOptimizer.Notifications.Feeds;
using SpotOptimizer.Notifications.Mail;
using SpotOptimizer.Notifications.Outbox;
using SpotOptimizer.Notifications.Reports;
using SpotOptimizer.Notifications.Rules;
using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Notifications;

public static class NotificationRegistration
{
    /// <summary>
    /// Rules, outbox, channels and weekly reports, for every process that raises events (silos and API). The schema
    /// is applied at start-up, before the silo starts when registered ahead of it.
    /// </summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddMail(configuration);
        services.AddOptions<NotificationOptions>().Bind(configuration.GetSection(NotificationOptions.Section));
        services.AddHostedService<NotificationsSchema>();
        services.AddHttpClient(HttpDelivery.ClientName)
            .ConfigureHttpClient((provider, http) => http.Timeout = provider.GetRequiredService<IOptions<NotificationOptions>>().Value.Timeout)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        services.AddSingleton<NotificationSettingsStore>();
        services.AddSingleton<NotificationOutbox>();
        services.AddSingleton<WeeklyReportStore>();
        services.AddSingleton<DeliveryDispatcher>();
        services.AddSingleton<INotificationCenter, NotificationCenter>();
        services.AddSingleton<INotificationChannel, WebhookChannel>();
        services.AddSingleton<INotificationChannel, SlackChannel>();
        services.AddSingleton<INotificationChannel, TeamsChannel>();
        services.AddSingleton<INotificationChannel, EmailChannel>();
        services.AddSingleton<SpotOptimizer.Tenancy.Lifecycle.IOrganizationDataEraser, NotificationDataEraser>();
        return services;
    }

    /// <summary>
    /// The loops: the dispatcher and the ledger relay. Registered after the actor runtime (they call grains); the API
    /// hosts them, as every deployment shape has API instances.
    /// </summary>
    public static IServiceCollection AddNotificationWorkers(this IServiceCollection services)
    {
        services.AddHostedService(provider => provider.GetRequiredService<DeliveryDispatcher>());
        services.AddHostedService<LedgerNotificationRelay>();
        return services;
    }

    public static Task ApplySchemaAsync(TenancyDatabase db, CancellationToken cancellationToken) =>
        db.Database.ApplySchemaAsync("notifications", typeof(NotificationRegistration).Assembly, "SpotOptimizer.Notifications.Schema.", cancellationToken);

    private sealed class NotificationsSchema(TenancyDatabase db) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => ApplySchemaAsync(db, cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

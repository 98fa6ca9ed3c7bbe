using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace SpotOptimizer.Tenancy.Lifecycle;

public static class LifecycleServiceCollectionExtensions
{
    /// <summary>
    /// Audit retention, organization export and erasure, and refusing erased organizations' tokens. Hosts that
    /// serve tenants call this with the platform's checkpoint signer; a silo-only worker needs none of it.
    /// </summary>
    public static IServiceCollection AddOrganizationLifecycle(this IServiceCollection services, Func<IServiceProvider, ICheckpointSigner> signer)
    {
        services.AddSingleton(signer);
        services.TryAddKeyedSingleton<TimeProvider>(AuditRetention.ClockKey, (provider, _) => provider.GetRequiredService<TimeProvider>());
        services.AddSingleton<AuditRetention>();
        services.AddSingleton<OrganizationErasure>();
        services.AddSingleton<OrganizationData>();
        services.AddSingleton<ErasedOrganizations>();
        services.AddHostedService<ErasedOrganizations.Refresher>();
        services.AddHostedService<AuditRetentionWorker>();
        return services;
    }
}

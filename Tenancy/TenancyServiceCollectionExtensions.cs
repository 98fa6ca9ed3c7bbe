using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace SpotOptimizer.Tenancy;

public static class TenancyServiceCollectionExtensions
{
    /// <summary>Tenancy tables in the grain runtime's database (SQLite or PostgreSQL); the schema is applied at start-up.</summary>
    public static IServiceCollection AddTenancy(this IServiceCollection services)
    {
        services.AddSingleton<TenancyDatabase>();
        services.AddSingleton<IdentityStore>();
        services.AddSingleton<AccountDirectory>();
        services.AddSingleton<RevokedTokens>();
        services.AddSingleton<AuditLedger>();
        services.AddSingleton<AuditQueries>();
        services.AddHostedService<TenancyStartup>();
        return services;
    }

    private sealed class TenancyStartup(TenancyDatabase db, RevokedTokens revoked) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await db.ApplySchemaAsync(cancellationToken);
            await revoked.LoadAsync(cancellationToken);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

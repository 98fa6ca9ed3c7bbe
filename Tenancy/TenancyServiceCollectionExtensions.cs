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
        services.AddSingleton<CloudActionLog>();
        services.AddHostedService<TenancyStartup>();
        services.AddHostedService<RevokedTokensRefresher>();
        services.AddSingleton<RevokedSessions>();
        services.AddSingleton<SessionStore>();
        services.AddSingleton<CredentialStore>();
        services.AddSingleton<TeamStore>();
        services.AddSingleton<CommitmentStore>();
        services.AddSingleton<Lab.ModelRegistry>();
        services.AddHostedService<RevokedSessionsRefresher>();
        return services;
    }

    /// <summary>Keeps this instance's revocation set in step with the others sharing the database.</summary>
    private sealed class RevokedTokensRefresher(RevokedTokens revoked, TimeProvider time, Microsoft.Extensions.Logging.ILogger<RevokedTokens> logger)
        : DatabaseLoop(RevokedTokens.RefreshInterval, time, logger)
    {
        protected override string What => "Reloading revoked tokens";

        protected override Task RunOnceAsync(CancellationToken cancellationToken) => revoked.LoadAsync(cancellationToken);
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

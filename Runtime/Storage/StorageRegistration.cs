using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace SpotOptimizer.Runtime.Storage;

/// <summary>
/// Chooses the storage provider. Each call replaces the previous choice, so a host can register a default
/// and let configuration override it. Start-up must call <see cref="IStorageSchema.ApplyAsync"/> before use.
/// </summary>
internal static class StorageRegistration
{
    /// <summary>Key of the storage's own services, so an application's registrations of the same types do not collide.</summary>
    internal const string ServiceKey = "SpotOptimizer.Runtime.Storage";

    /// <summary>The embedded default: a SQLite file, e.g. <c>Data Source=data/spot.db</c> (its folder is created).</summary>
    public static IServiceCollection AddSqliteStorage(this IServiceCollection services, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        services.RemoveAllKeyed<NpgsqlDataSource>(ServiceKey); // a pool nobody would use
        return services.AddAdoStorage((_, _) => SqlDialect.ForSqlite(connectionString));
    }

    /// <summary>PostgreSQL; the registered data source (connection pool) is disposed with the service provider.</summary>
    public static IServiceCollection AddPostgresStorage(this IServiceCollection services, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        // Created by the container from a factory, so the container disposes it.
        services.Replace(ServiceDescriptor.KeyedSingleton(ServiceKey, (_, _) => NpgsqlDataSource.Create(connectionString)));
        return services.AddAdoStorage((provider, key) =>
            SqlDialect.ForPostgres(provider.GetRequiredKeyedService<NpgsqlDataSource>(key)));
    }

    /// <summary>Process memory only: for unit tests; everything is lost when the process ends.</summary>
    public static IServiceCollection AddInMemoryStorage(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.RemoveAllKeyed<SqlDialect>(ServiceKey);
        services.RemoveAllKeyed<NpgsqlDataSource>(ServiceKey);
        services.Replace(ServiceDescriptor.Singleton<IGrainStateStore, InMemoryGrainStateStore>());
        services.Replace(ServiceDescriptor.Singleton<IReminderTable, InMemoryReminderTable>());
        services.Replace(ServiceDescriptor.Singleton<IStorageSchema, NoOpStorageSchema>());
        services.RemoveAll<IRelationalDatabase>();
        return services;
    }

    private static IServiceCollection AddAdoStorage(
        this IServiceCollection services, Func<IServiceProvider, object?, SqlDialect> createDialect)
    {
        services.Replace(ServiceDescriptor.KeyedSingleton(ServiceKey, createDialect));
        services.Replace(ServiceDescriptor.Singleton<IGrainStateStore>(provider =>
            new AdoGrainStateStore(Dialect(provider), Time(provider))));
        services.Replace(ServiceDescriptor.Singleton<IReminderTable>(provider => new AdoReminderTable(Dialect(provider))));
        services.Replace(ServiceDescriptor.Singleton<IStorageSchema>(provider =>
            new SchemaMigrator(Dialect(provider), Time(provider), Logger<SchemaMigrator>(provider))));
        services.Replace(ServiceDescriptor.Singleton<IRelationalDatabase>(provider =>
            new RelationalDatabase(Dialect(provider), Time(provider), Logger<SchemaMigrator>(provider))));
        return services;
    }

    private static SqlDialect Dialect(IServiceProvider provider) => provider.GetRequiredKeyedService<SqlDialect>(ServiceKey);

    private static TimeProvider Time(IServiceProvider provider) => provider.GetService<TimeProvider>() ?? TimeProvider.System;

    // The runtime core normally registers logging; storage still works in a bare container (tests, tools).
    private static ILogger<T> Logger<T>(IServiceProvider provider) =>
        provider.GetService<ILoggerFactory>()?.CreateLogger<T>() ?? NullLogger<T>.Instance;
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace SpotOptimizer.Storage;

/// <summary>Registers the deployment's database. Each call replaces the previous choice, so configuration can override a default.</summary>
public static class StorageRegistration
{
    /// <summary>Key of the storage's own services, so an application's registrations of the same types do not collide.</summary>
    private const string ServiceKey = "SpotOptimizer.Storage";

    /// <summary>The embedded default: a SQLite file, e.g. <c>Data Source=data/spot.db</c> (its folder is created).</summary>
    public static IServiceCollection AddSqliteDatabase(this IServiceCollection services, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        services.RemoveAllKeyed<NpgsqlDataSource>(ServiceKey); // a pool nobody would use
        return services.AddDatabase(connectionString, (_, _) => SqlDialect.ForSqlite(connectionString));
    }

    /// <summary>PostgreSQL; the registered data source (connection pool) is disposed with the service provider.</summary>
    public static IServiceCollection AddPostgresDatabase(this IServiceCollection services, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        // Created by the container from a factory, so the container disposes it.
        services.Replace(ServiceDescriptor.KeyedSingleton(ServiceKey, (_, _) => NpgsqlDataSource.Create(connectionString)));
        return services.AddDatabase(connectionString, (provider, key) =>
            SqlDialect.ForPostgres(provider.GetRequiredKeyedService<NpgsqlDataSource>(key)));
    }

    private static IServiceCollection AddDatabase(
        this IServiceCollection services, string connectionString, Func<IServiceProvider, object?, SqlDialect> createDialect)
    {
        services.Replace(ServiceDescriptor.KeyedSingleton(ServiceKey, createDialect));
        services.Replace(ServiceDescriptor.Singleton<IRelationalDatabase>(provider =>
            new RelationalDatabase(provider.GetRequiredKeyedService<SqlDialect>(ServiceKey), connectionString,
                provider.GetService<TimeProvider>() ?? TimeProvider.System, Logger<SchemaMigrator>(provider))));
        return services;
    }

    private static ILogger<T> Logger<T>(IServiceProvider provider) =>
        provider.GetService<ILoggerFactory>()?.CreateLogger<T>() ?? NullLogger<T>.Instance;
}

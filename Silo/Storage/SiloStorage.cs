using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace SpotOptimizer.Silo.Storage;

/// <summary>
/// The database chosen by configuration: <c>Storage:Provider</c> = sqlite (default) | postgres. Grain state,
/// reminders, membership (PostgreSQL) and the product's tables share it: one database per deployment.
/// SQLite keeps its file in <c>SPOTOPT_DATA_DIR</c> (default <c>./.data</c>, relative to the current directory);
/// PostgreSQL uses <c>ConnectionStrings:Postgres</c>.
/// </summary>
public sealed class SiloStorage
{
    public const string ProviderKey = "Storage:Provider";
    public const string DataDirectoryKey = "SPOTOPT_DATA_DIR";
    public const string PostgresConnectionName = "Postgres";
    public const string DefaultDataDirectory = ".data";
    public const string SqliteFileName = "spotoptimizer.db";

    private SiloStorage(string provider, string location, string connectionString)
    {
        Provider = provider;
        Location = location;
        ConnectionString = connectionString;
    }

    /// <summary>sqlite or postgres.</summary>
    public string Provider { get; }

    /// <summary>Where the data lives, for logs; never contains credentials.</summary>
    public string Location { get; }

    /// <summary>May hold a password: for the database drivers only, never for logs.</summary>
    public string ConnectionString { get; }

    public bool IsPostgres => Provider == "postgres";

    public static SiloStorage FromConfiguration(IConfiguration configuration)
    {
        var provider = configuration[ProviderKey];
        return (string.IsNullOrWhiteSpace(provider) ? "sqlite" : provider.Trim().ToLowerInvariant()) switch
        {
            "sqlite" => Sqlite(configuration[DataDirectoryKey]),
            "postgres" => Postgres(configuration.GetConnectionString(PostgresConnectionName)),
            _ => throw new InvalidOperationException(
                $"{ProviderKey} is '{provider}'; use sqlite (the default) or postgres."),
        };
    }

    /// <summary>Registers the database for the product's own tables (<see cref="SpotOptimizer.Storage.IRelationalDatabase"/>).</summary>
    public IServiceCollection AddDatabase(IServiceCollection services) =>
        IsPostgres ? SpotOptimizer.Storage.StorageRegistration.AddPostgresDatabase(services, ConnectionString)
            : SpotOptimizer.Storage.StorageRegistration.AddSqliteDatabase(services, ConnectionString);

    /// <summary>The SQLite file <see cref="SqliteFileName"/> in <paramref name="dataDirectory"/> (default <see cref="DefaultDataDirectory"/>).</summary>
    public static SiloStorage Sqlite(string? dataDirectory)
    {
        var directory = Path.GetFullPath(string.IsNullOrWhiteSpace(dataDirectory) ? DefaultDataDirectory : dataDirectory);
        if (File.Exists(directory))
        {
            throw new InvalidOperationException($"{DataDirectoryKey} '{directory}' is a file; it must name a directory.");
        }

        var file = Path.Combine(directory, SqliteFileName);
        // The directory is created when the database is first opened, not while configuration is read.
        var connectionString = new SqliteConnectionStringBuilder { DataSource = file }.ToString();
        return new SiloStorage("sqlite", file, connectionString);
    }

    public static SiloStorage Postgres(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"{ProviderKey} is 'postgres' but ConnectionStrings:{PostgresConnectionName} is empty "
                + $"(set it, e.g. with the environment variable ConnectionStrings__{PostgresConnectionName}).");
        }

        NpgsqlConnectionStringBuilder parsed;
        try
        {
            parsed = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            // Npgsql's message names the bad keyword, never the value, so no password is echoed.
            throw new InvalidOperationException(
                $"ConnectionStrings:{PostgresConnectionName} is not a valid PostgreSQL connection string: {e.Message}", e);
        }

        if (string.IsNullOrWhiteSpace(parsed.Host))
        {
            throw new InvalidOperationException($"ConnectionStrings:{PostgresConnectionName} names no Host.");
        }

        var location = $"{parsed.Host}:{parsed.Port}/{parsed.Database ?? parsed.Username ?? "(default database)"}";
        return new SiloStorage("postgres", location, connectionString);
    }
}

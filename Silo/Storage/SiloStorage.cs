using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Npgsql;
using SpotOptimizer.Runtime;

namespace SpotOptimizer.Silo.Storage;

/// <summary>
/// The database chosen by configuration: <c>Storage:Provider</c> = sqlite (default) | postgres. Grain state and the
/// tenancy tables share it, so a relational database is required (in-memory storage is for runtime unit tests only).
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

    private readonly Action<GrainRuntimeBuilder> _use;

    private SiloStorage(string provider, string location, Action<GrainRuntimeBuilder> use)
    {
        Provider = provider;
        Location = location;
        _use = use;
    }

    /// <summary>sqlite or postgres.</summary>
    public string Provider { get; }

    /// <summary>Where the data lives, for logs; never contains credentials.</summary>
    public string Location { get; }

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

    internal void Apply(GrainRuntimeBuilder runtime) => _use(runtime);

    private static SiloStorage Sqlite(string? dataDirectory)
    {
        var directory = Path.GetFullPath(string.IsNullOrWhiteSpace(dataDirectory) ? DefaultDataDirectory : dataDirectory);
        if (File.Exists(directory))
        {
            throw new InvalidOperationException($"{DataDirectoryKey} '{directory}' is a file; it must name a directory.");
        }

        var file = Path.Combine(directory, SqliteFileName);
        // The runtime creates the directory when the silo starts, not while configuration is read.
        var connectionString = new SqliteConnectionStringBuilder { DataSource = file }.ToString();
        return new SiloStorage("sqlite", file, runtime => runtime.UseSqliteStorage(connectionString));
    }

    private static SiloStorage Postgres(string? connectionString)
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
        return new SiloStorage("postgres", location, runtime => runtime.UsePostgresStorage(connectionString));
    }
}

using System.Collections.Concurrent;
using Npgsql;

namespace SpotOptimizer.Testing;

/// <summary>
/// The PostgreSQL server of this test process, started on first use: the one named by
/// <c>SPOTOPT_TEST_PG</c> when set, else a throwaway local cluster that is stopped and deleted when the process exits.
/// Test classes stay isolated by each taking a fresh database from <see cref="CreateDatabaseAsync"/>.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    /// <summary>Connection string of an existing server to use instead of starting one (its user may create databases).</summary>
    public const string ConnectionStringVariable = "SPOTOPT_TEST_PG";

    private static readonly Lazy<Task<PostgresServer>> Shared = new(() => Task.Run(StartAsync));

    private readonly string? adminConnectionString;
    private readonly LocalPostgresCluster? cluster;
    private readonly ConcurrentDictionary<string, bool> createdDatabases = new();
    private int disposed;

    private PostgresServer(string? adminConnectionString, LocalPostgresCluster? cluster, string? skipReason)
    {
        this.adminConnectionString = adminConnectionString;
        this.cluster = cluster;
        SkipReason = skipReason;
    }

    public bool Available => adminConnectionString is not null;

    /// <summary>Why no server is available; null when <see cref="Available"/>.</summary>
    public string? SkipReason { get; }

    /// <summary>Superuser connection to the server's <c>postgres</c> database.</summary>
    public string AdminConnectionString =>
        adminConnectionString ?? throw new InvalidOperationException($"PostgreSQL is not available: {SkipReason}");

    /// <summary>True on CI, where the PostgreSQL tests must run rather than skip.</summary>
    public static bool IsCi =>
        Environment.GetEnvironmentVariable("CI") is { } ci && (ci.Equals("true", StringComparison.OrdinalIgnoreCase) || ci == "1");

    /// <summary>The process-wide server (never null; check <see cref="Available"/>).</summary>
    public static Task<PostgresServer> GetSharedAsync() => Shared.Value;

    /// <summary>
    /// The shared server for a <c>[SkippableFact]</c> test: skips the test when none is available,
    /// except on CI (<c>CI=true</c>), where a missing server fails the test.
    /// </summary>
    public static async Task<PostgresServer> RequireAsync()
    {
        var server = await Shared.Value.ConfigureAwait(false);
        if (!server.Available && IsCi)
        {
            throw new InvalidOperationException($"CI must run the PostgreSQL tests, but: {server.SkipReason}");
        }

        Skip.If(!server.Available, server.SkipReason);
        return server;
    }

    public static PostgresServer Require() => RequireAsync().GetAwaiter().GetResult();

    /// <summary>Creates an empty UTF-8 database with a unique name and returns a connection string to it.</summary>
    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken = default)
    {
        var name = $"spotopt_test_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            // template0 so the encoding can differ from an external server's template1.
            await using var command = new NpgsqlCommand(
                $"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'", connection);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        createdDatabases[name] = true;
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>
    /// Drops a database made by <see cref="CreateDatabaseAsync"/> (closing its sessions). Matters on an external
    /// server, which outlives the test process; a throwaway cluster is deleted whole anyway.
    /// </summary>
    public async Task DropDatabaseAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database
            ?? throw new ArgumentException("The connection string names no database.", nameof(connectionString));
        await using (var pooled = new NpgsqlConnection(connectionString))
        {
            NpgsqlConnection.ClearPool(pooled); // idle pooled sessions would otherwise be terminated mid-use later
        }

        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        createdDatabases.TryRemove(name, out _);
    }

    /// <summary>Stops and deletes a throwaway cluster; on an external server, drops the databases this process created.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1 || adminConnectionString is null)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools(); // pooled sessions would outlive the server or block DROP DATABASE
        if (cluster is not null)
        {
            cluster.Stop();
            return;
        }

        foreach (var name in createdDatabases.Keys)
        {
            var database = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name };
            await DropDatabaseAsync(database.ConnectionString).ConfigureAwait(false);
        }
    }

    private static async Task<PostgresServer> StartAsync()
    {
        var configured = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        PostgresServer server;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            server = await ConnectAsync(configured).ConfigureAwait(false);
        }
        else if (PostgresBinaries.Find() is not { } binaries)
        {
            return Unavailable(
                $"{ConnectionStringVariable} is not set and initdb/pg_ctl are neither on PATH nor under /usr/lib/postgresql/*/bin.");
        }
        else
        {
            try
            {
                var started = await LocalPostgresCluster.StartAsync(binaries).ConfigureAwait(false);
                server = new PostgresServer(started.AdminConnectionString, started, skipReason: null);
            }
            catch (Exception e)
            {
                return Unavailable($"Could not start a local PostgreSQL from {Path.GetDirectoryName(binaries.PgCtl)}: {e.Message}");
            }
        }

        // xunit v2 has no assembly-wide teardown; process exit is the last chance to stop the server.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.OnProcessExit();
        return server;
    }

    /// <summary>
    /// The runner kills the test host ~100 ms after the last test, so a local cluster is left to its watchdog
    /// rather than stopped here; dropping an external server's databases is quick enough to try.
    /// </summary>
    private void OnProcessExit()
    {
        if (cluster is not null)
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                cluster.StopInBackground();
            }

            return;
        }

        DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    private static async Task<PostgresServer> ConnectAsync(string connectionString)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync().ConfigureAwait(false);
            return new PostgresServer(connectionString, cluster: null, skipReason: null);
        }
        catch (Exception e)
        {
            return Unavailable($"{ConnectionStringVariable} is set but its server cannot be reached: {e.Message}");
        }
    }

    private static PostgresServer Unavailable(string reason) => new(adminConnectionString: null, cluster: null, reason);
}

using SpotOptimizer.Testing;

namespace SpotOptimizer.Api.Tests;

/// <summary>
/// Two instances of the real host (silo + API each) on one throwaway PostgreSQL database: one Orleans cluster, as two
/// processes of a deployment would form it. Each gets its own silo and gateway ports; the signing key is shared, so a
/// token from one works on the other. Skipped without PostgreSQL unless <c>CI=true</c>.
/// </summary>
public abstract class TwoHostTest : IAsyncLifetime
{
    private (PostgresServer Server, string Database)? _database;

    protected SpotOptimizerApp A { get; private set; } = null!;

    protected SpotOptimizerApp B { get; private set; } = null!;

    /// <summary>Host A's settings besides the shared database and its ports.</summary>
    protected virtual IReadOnlyDictionary<string, string?> SettingsOfA => new Dictionary<string, string?>();

    /// <summary>Host B's settings besides the shared database and its ports; A's unless said.</summary>
    protected virtual IReadOnlyDictionary<string, string?> SettingsOfB => SettingsOfA;

    public async Task InitializeAsync()
    {
        var server = await PostgresServer.RequireAsync();
        var database = await server.CreateDatabaseAsync();
        _database = (server, database);
        A = SpotOptimizerApp.With(HostSettings(database, SettingsOfA));
        B = SpotOptimizerApp.With(HostSettings(database, SettingsOfB));
        // Started one after the other, as two processes would be: both apply the schema, the second joins the first.
        _ = A.Server;
        _ = B.Server;
    }

    public async Task DisposeAsync()
    {
        if (B is not null) await B.DisposeAsync();
        if (A is not null) await A.DisposeAsync();
        if (_database is var (server, database)) await server.DropDatabaseAsync(database);
    }

    private static Dictionary<string, string?> HostSettings(string database, IReadOnlyDictionary<string, string?> settings) => new(settings)
    {
        ["Storage:Provider"] = "postgres",
        ["ConnectionStrings:Postgres"] = database,
        ["Auth:SigningKey"] = SpotOptimizerApp.TestSigningKey,
    };
}

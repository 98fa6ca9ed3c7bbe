using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SpotOptimizer.Silo.Storage;

namespace SpotOptimizer.Api.Tests;

/// <summary>
/// The real embedded host (silo + API) in this process, configured through the same keys a user sets, with its
/// own data directory so test classes can run in parallel.
/// </summary>
public sealed class SpotOptimizerApp : WebApplicationFactory<Program>
{
    private readonly TempDirectory _temp = new();
    private readonly Dictionary<string, string?> _settings;

    private SpotOptimizerApp(IReadOnlyDictionary<string, string?> settings, int kestrelPort = 0)
    {
        _settings = new(settings);
        _settings.TryAdd(SiloStorage.DataDirectoryKey, _temp.Child("data"));
        // Every test signs up from the same test-server "client address"; the rate-limit tests set their own limits.
        _settings.TryAdd("Auth:SignupsPerHourPerClient", "10000");
        _settings.TryAdd("Auth:TokenRequestsPerMinutePerClient", "10000");
        // The demo tenant's background agents would add activity to every test; its own test turns it on.
        _settings.TryAdd("Demo:Enabled", "false");
        // Likewise the optimize loop: tests start jobs through the API; the loop's own tests shorten these.
        _settings.TryAdd("Optimizer:FirstRun", "01:00:00");
        _settings.TryAdd("Optimizer:Period", "01:00:00");
        // Many platform instances share this process's two cores: one starved for 2 s would be voted dead by its peer and
        // stop (StopHostOnFatalError) in the middle of a test. The product's 1 s × 2 probe keeps kill -9 failover under
        // 5 s between processes; tests of several instances here check sharing, not how fast a dead one is noticed.
        _settings.TryAdd("Orleans:Membership:ProbeTimeout", "00:00:03");
        _settings.TryAdd("Orleans:Membership:NumMissedProbesLimit", "3");
        // Orleans listens with SO_REUSEADDR, which on Linux also lets any number of silos bind one port: every instance in
        // this process on the default ports shared them, and the kernel handed one cluster's probes to another's silo
        // (a silo voted dead in the middle of a test). Each instance gets ports of its own, as a deployment's silos do.
        _settings.TryAdd("Orleans:Endpoints:SiloPort", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));
        _settings.TryAdd("Orleans:Endpoints:GatewayPort", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));
        _settings.TryAdd("Orleans:Endpoints:AdvertisedIPAddress", "127.0.0.1");
        DataDirectory = _settings[SiloStorage.DataDirectoryKey]!;
        // The demo's agents are the real agent, reaching the platform over HTTP as it would from a cluster: a real port.
        if (string.Equals(_settings["Demo:Enabled"], "true", StringComparison.OrdinalIgnoreCase) || kestrelPort != 0) UseKestrel(kestrelPort);
    }

    /// <summary>Service replacements (e.g. a keyed test clock), applied after the app's own; set before the first client.</summary>
    public Action<IServiceCollection>? TestServices { get; set; }

    /// <summary>A fresh temp folder unless the test chose one; not created until the app starts.</summary>
    public string DataDirectory { get; }

    public static SpotOptimizerApp Sqlite() => new(new Dictionary<string, string?>());

    public static SpotOptimizerApp Postgres(string connectionString) => new(new Dictionary<string, string?>
    {
        [SiloStorage.ProviderKey] = "postgres",
        [$"ConnectionStrings:{SiloStorage.PostgresConnectionName}"] = connectionString,
        ["Auth:SigningKey"] = TestSigningKey,
    });

    /// <summary>A fixed test key: production reads its key from configuration, never from the repository.</summary>
    public const string TestSigningKey = "c3BvdG9wdGltaXplci10ZXN0LXNpZ25pbmcta2V5LTMyYnl0ZXMhIQ==";

    public static SpotOptimizerApp With(IReadOnlyDictionary<string, string?> settings) => new(settings);

    /// <summary>On a real port chosen before start, for settings that must name the app's own address (e.g. its simulator on AWS's wire).</summary>
    public static SpotOptimizerApp OnPort(int port, IReadOnlyDictionary<string, string?> settings) => new(settings, port);

    /// <summary>A loopback port free right now (the OS picks it; released for the app to bind).</summary>
    /// <remarks>
    /// Never the same port twice in this process: the OS may hand a just-released port out again before the instance it
    /// was chosen for binds it, and a silo refuses a port something already listens on.
    /// </remarks>
    public static int FreePort()
    {
        while (true)
        {
            using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            listener.Start();
            var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
            lock (HandedOut)
            {
                if (HandedOut.Add(port)) return port;
            }
        }
    }

    private static readonly HashSet<int> HandedOut = [];

    /// <summary>
    /// The app on SQLite, or on a fresh database of the test process's PostgreSQL (skipped without one, except on CI);
    /// the database is dropped when the app is disposed.
    /// </summary>
    public static async Task<SpotOptimizerApp> CreateAsync(bool postgres, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var merged = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>());
        if (!postgres) return new SpotOptimizerApp(merged);
        var server = await SpotOptimizer.Testing.PostgresServer.RequireAsync();
        var database = await server.CreateDatabaseAsync();
        merged[SiloStorage.ProviderKey] = "postgres";
        merged[$"ConnectionStrings:{SiloStorage.PostgresConnectionName}"] = database;
        merged["Auth:SigningKey"] = TestSigningKey;
        return new SpotOptimizerApp(merged) { _dropOnDispose = (server, database) };
    }

    private (SpotOptimizer.Testing.PostgresServer Server, string Database)? _dropOnDispose;

    /// <summary>The storage the started instance really used; null until it starts.</summary>
    private SiloStorage? _storage;

    protected override IHost CreateHost(IHostBuilder builder)
    {
        var host = base.CreateHost(builder);
        _storage = host.Services.GetService<SiloStorage>();
        return host;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        builder.ConfigureTestServices(services => StopHostOnFatalError.Register(services));
        if (TestServices is { } configure) builder.ConfigureTestServices(configure);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        ReleaseConnectionPool(_storage);
        if (_dropOnDispose is var (server, database)) await server.DropDatabaseAsync(database);
        _temp.Dispose();
    }

    /// <summary>
    /// The database drivers keep one pool per connection string for the process's life, and the pool's timer keeps the
    /// execution context it was created in. WebApplicationFactory starts the app in a context that references the
    /// factory and so the host (dotnet/aspnetcore#48047): each pool kept its whole disposed instance alive, about 80 MiB
    /// a test. Clearing the pool shuts its timer down (<see cref="DisposedInstanceTests"/>).
    /// </summary>
    private static void ReleaseConnectionPool(SiloStorage? storage)
    {
        if (storage is null) return;
        if (storage.IsPostgres)
        {
            using var postgres = new Npgsql.NpgsqlConnection(storage.ConnectionString);
            Npgsql.NpgsqlConnection.ClearPool(postgres);
        }
        else
        {
            using var sqlite = new Microsoft.Data.Sqlite.SqliteConnection(storage.ConnectionString);
            Microsoft.Data.Sqlite.SqliteConnection.ClearPool(sqlite);
        }
    }
}

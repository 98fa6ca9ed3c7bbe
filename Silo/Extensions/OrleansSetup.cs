using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Hosting;
using Orleans.Providers;
using Orleans.Runtime;
using Orleans.Storage;
using SpotOptimizer.Silo.Storage;

namespace SpotOptimizer.Silo;

/// <summary>
/// How a process joins the Orleans cluster. <c>Orleans:ClusterId</c>/<c>Orleans:ServiceId</c> name it (default
/// spotoptimizer), <c>Orleans:Endpoints:SiloPort</c>/<c>GatewayPort</c>/<c>AdvertisedIPAddress</c> place this silo.
/// PostgreSQL: membership in the database (N silos). SQLite: one silo on localhost.
/// </summary>
public static class OrleansSetup
{
    public const string DefaultName = "spotoptimizer";
    public const int DefaultSiloPort = 11111;
    public const int DefaultGatewayPort = 30000;

    private const string PostgresInvariant = "Npgsql";
    private const string SqliteInvariant = "System.Data.SQLite"; // Orleans's name for Microsoft.Data.Sqlite

    internal static void ConfigureSilo(ISiloBuilder silo, IConfiguration configuration, SiloStorage storage)
    {
        var endpoints = configuration.GetSection("Orleans:Endpoints");
        var siloPort = endpoints.GetValue("SiloPort", DefaultSiloPort);
        var gatewayPort = endpoints.GetValue("GatewayPort", DefaultGatewayPort);
        if (storage.IsPostgres)
        {
            silo.Configure<EndpointOptions>(o =>
            {
                o.SiloPort = siloPort;
                o.GatewayPort = gatewayPort;
                if (endpoints["AdvertisedIPAddress"] is { Length: > 0 } advertised) o.AdvertisedIPAddress = System.Net.IPAddress.Parse(advertised);
            });
            silo.UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = (PostgresInvariant, storage.ConnectionString));
        }
        else
        {
            silo.UseLocalhostClustering(siloPort, gatewayPort);
        }

        silo.AddSpotOptimizerStorage(storage);
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, SiloPortGuard>();
        // Served by the API at /orleans, for super admins only.
        silo.AddDashboard();
        Name(silo.Services, configuration);
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            // Measured here: a killed silo is declared dead after ~3.3 s instead of ~12–14 s with the defaults.
            o.ProbeTimeout = TimeSpan.FromSeconds(1);
            o.NumMissedProbesLimit = 2;
            // Also bounds how long a stopping silo retries writing its status, twice (Stopping, then Dead), each with
            // Orleans' error backoff of 1, 2, 4, 8, 16 s… With the membership table gone (database dropped or unreachable)
            // the default 5 min kept the host stopping past any orchestrator's grace period, and 20 s still took 60–90 s
            // (the backoff overshoots the limit). 5 s stops such a host in about 20 s; a silo that cannot reach its
            // database at start fails in seconds and is restarted by its orchestrator.
            o.MaxJoinAttemptTime = TimeSpan.FromSeconds(5);
        });
        // Orleans:Membership overrides any of these (e.g. a more patient probe on nodes whose CPU is throttled).
        silo.Configure<ClusterMembershipOptions>(configuration.GetSection("Orleans:Membership"));
    }

    /// <summary>Grain state (the default storage) and reminders in the deployment's database; clustering is the caller's choice.</summary>
    public static ISiloBuilder AddSpotOptimizerStorage(this ISiloBuilder silo, SiloStorage storage)
    {
        var invariant = storage.IsPostgres ? PostgresInvariant : SqliteInvariant;
        silo.AddAdoNetGrainStorageAsDefault(o => (o.Invariant, o.ConnectionString) = (invariant, storage.ConnectionString));
        if (storage.IsPostgres)
        {
            silo.UseAdoNetReminderService(o => (o.Invariant, o.ConnectionString) = (PostgresInvariant, storage.ConnectionString));
        }
        else
        {
            silo.AddReminders();
            silo.Services.AddSingleton<IReminderTable, SqliteReminderTable>();
        }

        // State is stored as JSON: readable in the database, and tolerant of members added or reordered between releases.
        silo.Services.AddKeyedSingleton<IGrainStorageSerializer>(
            ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, (sp, _) => ActivatorUtilities.CreateInstance<SystemTextJsonGrainStorageSerializer>(sp));
        return silo;
    }

    internal static void ConfigureClient(IClientBuilder client, IConfiguration configuration, SiloStorage storage)
    {
        if (storage.IsPostgres)
        {
            client.UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = (PostgresInvariant, storage.ConnectionString));
        }
        else
        {
            client.UseLocalhostClustering(configuration.GetSection("Orleans:Endpoints").GetValue("GatewayPort", DefaultGatewayPort));
        }

        client.AddDashboard();
        Name(client.Services, configuration);
    }

    private static void Name(IServiceCollection services, IConfiguration configuration) =>
        services.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = configuration["Orleans:ClusterId"] is { Length: > 0 } cluster ? cluster : DefaultName;
            o.ServiceId = configuration["Orleans:ServiceId"] is { Length: > 0 } service ? service : DefaultName;
        });
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Amazon.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SpotOptimizer.Cloud;
using SpotOptimizer.Grains;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.Grains.Market.Aws;
using SpotOptimizer.Cloud.Aws;
using SpotOptimizer.Silo.Storage;
using SpotOptimizer.Storage;

namespace SpotOptimizer.Silo;

/// <summary>
/// <c>Cloud:Provider</c> = simulator (the embedded default: a deterministic simulated AWS, seed <c>Cloud:Seed</c>)
/// or aws (production: the AWS SDK; with <c>Cloud:Aws:ServiceUrl</c> and <c>Simulator:ServeAws=true</c>, the same code
/// path against this host's simulator on AWS's wire). The simulator's Spot market replays
/// <c>Cloud:PriceHistoryFile</c> (relative to the content root) when it is set, from <c>Cloud:PriceHistoryStart</c>.
/// </summary>
public static class CloudSelection
{
    public const string ProviderKey = "Cloud:Provider";
    public const string SeedKey = "Cloud:Seed";
    public const string PriceHistoryFileKey = "Cloud:PriceHistoryFile";
    public const string PriceHistoryStartKey = "Cloud:PriceHistoryStart";
    public const int DefaultSeed = 42;
    public const string AwsServiceUrlKey = "Cloud:Aws:ServiceUrl";
    public const string ServeAwsKey = "Simulator:ServeAws";

    public static IHostApplicationBuilder AddCloud(this IHostApplicationBuilder builder)
    {
        var provider = builder.Configuration[ProviderKey];
        switch (string.IsNullOrWhiteSpace(provider) ? "simulator" : provider.Trim().ToLowerInvariant())
        {
            case "simulator":
                builder.AddSimulatedWorld();
                builder.Services.AddSimulatedMarketFeed();
                break;
            case "aws":
                builder.AddAwsProvider();
                break;
            default:
                throw new InvalidOperationException($"{ProviderKey} is '{provider}'; use simulator (the default) or aws.");
        }

        return builder;
    }

    /// <summary>
    /// Production: the AWS SDK against AWS, our own identity from the SDK's default chain (never from configuration).
    /// With <c>Cloud:Aws:ServiceUrl</c> every service is reached under that one address instead (<see cref="AwsEndpoints.AllAt"/>);
    /// with <c>Simulator:ServeAws=true</c> too, that address is this host's simulator on AWS's wire: the simulated
    /// world is kept as on the embedded default (the demo tenant is seeded in it), the AWS provider signs with the
    /// simulator's platform key pair (<see cref="SimulatedAwsOptions"/>, public demo values), and the market's price
    /// list and Spot Advisor come from the simulator's copies unless <c>Market:Aws</c> names other sources.
    /// </summary>
    private static void AddAwsProvider(this IHostApplicationBuilder builder)
    {
        var aws = new AwsCloudOptions();
        aws.StsRegion = builder.Configuration["Cloud:StsRegion"] ?? aws.StsRegion;
        var serviceUrl = AwsServiceUrl(builder.Configuration);
        if (serviceUrl is not null) aws.Endpoints = AwsEndpoints.AllAt(serviceUrl);
        var servesAws = ServesAws(builder.Configuration);
        if (servesAws)
        {
            if (serviceUrl is null) throw new InvalidOperationException($"{ServeAwsKey}=true with {ProviderKey}=aws needs {AwsServiceUrlKey} (http://<host>:<port>/simulator/aws).");
            builder.AddSimulatedWorld();
            // The world is simulated, but the product reaches it only through the AWS SDK.
            builder.Services.RemoveAll<ICloudProvider>();
            var keys = builder.Configuration.GetSection(SimulatedAwsOptions.SectionName).Get<SimulatedAwsOptions>() ?? new SimulatedAwsOptions();
            aws.Credentials = new BasicAWSCredentials(keys.AccessKeyId, keys.SecretAccessKey);
        }

        builder.Services.AddAwsCloud(options =>
        {
            options.StsRegion = aws.StsRegion;
            options.Endpoints = aws.Endpoints;
            options.Credentials = aws.Credentials;
        });
        // The market's public sources: Spot prices with the same identity and endpoints, price list and advisor over HTTPS.
        builder.Services.AddAwsMarketFeed(aws);
        builder.Services.AddOptions<AwsMarketOptions>().Bind(builder.Configuration.GetSection(AwsMarketOptions.Section))
            .PostConfigure(options =>
            {
                options.CacheDirectory = MarketCacheDirectory(builder, options.CacheDirectory);
                if (!servesAws) return;
                var root = serviceUrl!.ToString().TrimEnd('/');
                if (builder.Configuration[$"{AwsMarketOptions.Section}:{nameof(AwsMarketOptions.OnDemandPriceListUrl)}"] is null)
                    options.OnDemandPriceListUrl = root + SimulatedAwsOptions.PriceListPath;
                if (builder.Configuration[$"{AwsMarketOptions.Section}:{nameof(AwsMarketOptions.SpotAdvisorUrl)}"] is null)
                    options.SpotAdvisorUrl = root + SimulatedAwsOptions.AdvisorPath;
            });
    }

    /// <summary>The simulated world and its store, as the embedded default keeps it (and as the simulator on AWS's wire serves it).</summary>
    private static void AddSimulatedWorld(this IHostApplicationBuilder builder)
    {
        var history = PriceHistoryFile(builder);
        var start = builder.Configuration.GetValue<DateTimeOffset?>(PriceHistoryStartKey);
        // Before the silo starts (hosted services start in order): the world's table exists before any grain asks.
        builder.Services.AddHostedService<SimulatedWorldSchemaStartup>();
        builder.Services.AddSimulatedCloud(builder.Configuration.GetValue(SeedKey, DefaultSeed), options =>
        {
            // Cloud:Simulator tunes the simulated timings (BootTime, ShutdownTime ...), e.g. for fast end-to-end tests.
            builder.Configuration.GetSection("Cloud:Simulator").Bind(options);
            options.PriceHistoryFile = history;
            options.PriceHistoryStart = start;
        },
        // One world in the deployment's database: every silo sees it, and it outlives restarts (a host without a
        // database, such as a tool, keeps it in memory).
        (sp, initial) => sp.GetService<IRelationalDatabase>() is { } database
            ? new AdoSimulatedWorldStore(database.OpenConnectionAsync, initial)
            : new InMemorySimulatedWorldStore(initial));
    }

    /// <summary>True when this host's cloud is a simulated world: the embedded default, or the simulator served on AWS's wire.</summary>
    public static bool HasSimulatedWorld(IConfiguration configuration) =>
        !string.Equals(configuration[ProviderKey]?.Trim(), "aws", StringComparison.OrdinalIgnoreCase) || ServesAws(configuration);

    public static bool ServesAws(IConfiguration configuration) => configuration.GetValue(ServeAwsKey, false);

    private static Uri? AwsServiceUrl(IConfiguration configuration) => configuration[AwsServiceUrlKey] switch
    {
        null or "" => null,
        var url when Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" => uri,
        var url => throw new InvalidOperationException($"{AwsServiceUrlKey} is '{url}'; give an absolute http(s) URL."),
    };

    /// <summary>
    /// <c>Market:Aws:CacheDirectory</c> relative to the content root; by default <c>market-cache</c> in the data
    /// directory (<see cref="SiloStorage.DataDirectoryKey"/>, as the SQLite file and signing key use it), never the repository.
    /// </summary>
    private static string MarketCacheDirectory(IHostApplicationBuilder builder, string? configured) => configured is { Length: > 0 }
        ? Path.GetFullPath(configured, builder.Environment.ContentRootPath)
        : Path.Combine(Path.GetFullPath(builder.Configuration[SiloStorage.DataDirectoryKey] is { Length: > 0 } data ? data : SiloStorage.DefaultDataDirectory), "market-cache");

    /// <summary>
    /// The data pack stays outside the repository, so the file is named by configuration only; a missing file stops
    /// the host at start (the simulator reads it when first used, which would be too late to name the setting).
    /// </summary>
    private static string? PriceHistoryFile(IHostApplicationBuilder builder)
    {
        if (builder.Configuration[PriceHistoryFileKey] is not { Length: > 0 } configured) return null;
        var path = Path.GetFullPath(configured, builder.Environment.ContentRootPath);
        return File.Exists(path) ? path : throw new InvalidOperationException($"{PriceHistoryFileKey} is '{configured}', but {path} does not exist.");
    }
}

/// <summary>Applies the simulated world's table (the <see cref="SimulatedWorldSchema.Module"/> schema module) at start-up.</summary>
internal sealed class SimulatedWorldSchemaStartup(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => services.GetService<IRelationalDatabase>() is not { } database
        ? Task.CompletedTask
        : database.ApplySchemaAsync(SimulatedWorldSchema.Module, typeof(SimulatedWorldSchema).Assembly, SimulatedWorldSchema.ResourcePrefix, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.DependencyInjection;
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
/// or aws (production: STS + EC2/EKS over SigV4-signed HTTP). The simulator's Spot market replays
/// <c>Cloud:PriceHistoryFile</c> (relative to the content root) when it is set, from <c>Cloud:PriceHistoryStart</c>.
/// </summary>
public static class CloudSelection
{
    public const string ProviderKey = "Cloud:Provider";
    public const string SeedKey = "Cloud:Seed";
    public const string PriceHistoryFileKey = "Cloud:PriceHistoryFile";
    public const string PriceHistoryStartKey = "Cloud:PriceHistoryStart";
    public const int DefaultSeed = 42;

    public static IHostApplicationBuilder AddCloud(this IHostApplicationBuilder builder)
    {
        var provider = builder.Configuration[ProviderKey];
        switch (string.IsNullOrWhiteSpace(provider) ? "simulator" : provider.Trim().ToLowerInvariant())
        {
            case "simulator":
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
                builder.Services.AddSimulatedMarketFeed();
                break;
            case "aws":
                // Credentials come from the AWS SDK's default chain (environment, instance profile, ...); never from config files here.
                var aws = new AwsCloudOptions();
                aws.StsRegion = builder.Configuration["Cloud:StsRegion"] ?? aws.StsRegion;
                builder.Services.AddAwsCloud(options => options.StsRegion = aws.StsRegion);
                // The market's public sources: Spot prices with the same identity and endpoints, price list and advisor over HTTPS.
                builder.Services.AddAwsMarketFeed(aws);
                builder.Services.AddOptions<AwsMarketOptions>().Bind(builder.Configuration.GetSection(AwsMarketOptions.Section))
                    .PostConfigure(options => options.CacheDirectory = MarketCacheDirectory(builder, options.CacheDirectory));
                break;
            default:
                throw new InvalidOperationException($"{ProviderKey} is '{provider}'; use simulator (the default) or aws.");
        }

        return builder;
    }

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

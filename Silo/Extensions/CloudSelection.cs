using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using SpotOptimizer.Cloud;

namespace SpotOptimizer.Silo;

/// <summary>
/// <c>Cloud:Provider</c> = simulator (the embedded default: a deterministic simulated AWS, seed <c>Cloud:Seed</c>)
/// or aws (production: STS + EC2/EKS over SigV4-signed HTTP).
/// </summary>
public static class CloudSelection
{
    public const string ProviderKey = "Cloud:Provider";
    public const string SeedKey = "Cloud:Seed";
    public const int DefaultSeed = 42;

    public static IHostApplicationBuilder AddCloud(this IHostApplicationBuilder builder)
    {
        var provider = builder.Configuration[ProviderKey];
        switch (string.IsNullOrWhiteSpace(provider) ? "simulator" : provider.Trim().ToLowerInvariant())
        {
            case "simulator":
                builder.Services.AddSimulatedCloud(builder.Configuration.GetValue(SeedKey, DefaultSeed));
                break;
            case "aws":
                // Credentials come from the AWS SDK's default chain (environment, instance profile, ...); never from config files here.
                builder.Services.AddAwsCloud(options => options.StsRegion = builder.Configuration["Cloud:StsRegion"] ?? options.StsRegion);
                break;
            default:
                throw new InvalidOperationException($"{ProviderKey} is '{provider}'; use simulator (the default) or aws.");
        }

        return builder;
    }
}

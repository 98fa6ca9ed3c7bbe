using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using SpotOptimizer.Cloud;

namespace SpotOptimizer.Silo;

/// <summary>
/// <c>Cloud:Provider</c> = simulator (the embedded default: a deterministic simulated AWS, seed <c>Cloud:Seed</c>)
/// or aws (production).
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
            default:
                throw new InvalidOperationException($"{ProviderKey} is '{provider}'; use simulator (the default).");
        }

        return builder;
    }
}

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SpotOptimizer.Cloud;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.Optimization.Market;

namespace SpotOptimizer.Grains.Market;

/// <summary>
/// The embedded default's feed: prices from the simulated market (the same prices the simulator charges), types and
/// On-Demand prices from its built-in catalog, Spot Advisor buckets from <see cref="MarketOptions.SpotAdvisorFile"/>
/// when configured (the real feed's format) or the catalog's built-in values.
/// </summary>
public sealed class SimulatedMarketFeed(SimulatedCloud cloud, IOptions<MarketOptions> options, IHostEnvironment? environment = null) : IMarketFeed
{
    public Task<IReadOnlyList<SpotPrice>> GetSpotPricesAsync(string region, CancellationToken cancellationToken) =>
        cloud.PublicSpotPricesAsync(region, cancellationToken);

    public Task<MarketReference> GetReferenceAsync(string region, CancellationToken cancellationToken)
    {
        var types = InstanceCatalog.Types.Select(ToTypeInfo).ToList();
        var onDemand = InstanceCatalog.Types.ToDictionary(t => t.Name, t => (double)t.OnDemandPrice, StringComparer.Ordinal);
        if (options.Value.SpotAdvisorFile is not { Length: > 0 } file)
        {
            return Task.FromResult(new MarketReference(types, onDemand, SimulatedCloud.BuiltInAdvisorBuckets, "built-in") { Zones = cloud.PublicZones(region) });
        }

        var path = Path.IsPathRooted(file) || environment is null ? file : Path.Combine(environment.ContentRootPath, file);
        using var stream = File.OpenRead(path);
        var advisor = SpotAdvisorParser.Parse(stream);
        var buckets = advisor.Entries
            .Where(e => e.Region == region && e.OperatingSystem == SpotAdvisorSnapshot.Linux)
            .ToDictionary(e => e.InstanceType, e => e.Bucket, StringComparer.Ordinal);
        return Task.FromResult(new MarketReference(types, onDemand, buckets, Path.GetFileName(path)) { Zones = cloud.PublicZones(region) });
    }

    /// <summary>
    /// Allocatable resources as EKS reserves them (kube-reserved CPU 6% of the first core, 1% of the second, 0.5% of
    /// the next two, 0.25% beyond; memory 255 MiB + 11 MiB per pod; 100 MiB eviction threshold).
    /// </summary>
    public static InstanceTypeInfo ToTypeInfo(InstanceTypeSpec spec)
    {
        var family = InstanceTypeInfo.FamilyOf(spec.Name);
        var cores = spec.VCpus;
        var reservedCpu = 60 + (cores > 1 ? 10 : 0) + (Math.Clamp(cores - 2, 0, 2) * 5) + (Math.Max(0, cores - 4) * 2.5);
        var memoryMiB = (int)(spec.MemoryGiB * 1024);
        var generation = int.TryParse(new string([.. family.SkipWhile(char.IsLetter).TakeWhile(char.IsDigit)]), out var g) ? g : 0;
        return new InstanceTypeInfo(
            spec.Name, family, CategoryOf(family), generation, spec.Name[(spec.Name.IndexOf('.', StringComparison.Ordinal) + 1)..],
            spec.Architecture == "arm64" ? CpuArchitecture.Arm64 : CpuArchitecture.Amd64,
            cores, memoryMiB, (int)(cores * 1000 - reservedCpu), memoryMiB - 255 - (11 * spec.MaxPods) - 100, spec.MaxPods, 0, null);
    }

    /// <summary>The letters before the generation, as the instance-type catalog has it: m5 → m, c6g → c.</summary>
    private static string CategoryOf(string family) => new([.. family.TakeWhile(char.IsLetter)]);
}

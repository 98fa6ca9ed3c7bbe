using SpotOptimizer.Grains.Interfaces.Market;
using SpotOptimizer.Optimization.Market;

namespace SpotOptimizer.Grains.Market;

/// <summary>Between the market's wire contract and the optimizer's own records (the contract must not depend on the optimizer).</summary>
public static class MarketQuotesMapping
{
    public static InstanceTypeSpec ToSpec(InstanceTypeInfo type) => new(
        type.Name, type.Family, type.Category, type.Generation, type.Size, type.Architecture == CpuArchitecture.Arm64 ? "arm64" : "amd64",
        type.VCpu, type.MemoryMiB, type.AllocatableCpuMillicores, type.AllocatableMemoryMiB, type.MaxPods, type.GpuCount, type.GpuName);

    public static InstanceTypeInfo ToInfo(InstanceTypeSpec spec) => new(
        spec.Name, spec.Family, spec.Category, spec.Generation, spec.Size, spec.Architecture == "arm64" ? CpuArchitecture.Arm64 : CpuArchitecture.Amd64,
        spec.VCpu, spec.MemoryMiB, spec.AllocatableCpuMillicores, spec.AllocatableMemoryMiB, spec.MaxPods, spec.GpuCount, spec.GpuName);

    public static MarketSnapshot ToSnapshot(MarketQuotes quotes)
    {
        var types = quotes.Types.ToDictionary(t => t.Name, ToInfo, StringComparer.Ordinal);
        var pools = quotes.Pools.Where(p => types.ContainsKey(p.InstanceType)).Select(p =>
            new PoolQuote(new SpotPoolId(p.AvailabilityZone, p.InstanceType), types[p.InstanceType], p.SpotPrice, p.OnDemandPrice, p.Bucket, p.HourlyHistory)
            {
                Stale = p.Stale,
            }).ToList();
        var offers = quotes.OnDemand.Where(o => types.ContainsKey(o.InstanceType)).Select(o => new OnDemandOffer(types[o.InstanceType], o.PricePerHour)).ToList();
        return new MarketSnapshot(quotes.Region, quotes.At, pools, offers) { ZoneIds = quotes.ZoneIds };
    }
}

using SpotOptimizer.Grains.Interfaces.Market;
using SpotOptimizer.Optimization.Commitments;
using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Grains.Insights;

/// <summary>Declared commitments (Tenancy's rows) as the pure coverage model takes them, and a fleet's On-Demand nodes priced for it.</summary>
public static class CommitmentMapping
{
    public static IReadOnlyList<Commitment> ToModel(IEnumerable<CommitmentRecord> records) =>
    [
        .. records.Select(r => new Commitment(r.Id, Kind(r.Kind), r.StartsAt, r.EndsAt, r.InstanceType, r.Family, r.Region, r.Zone, r.InstanceCount,
            r.HourlyRate, r.DiscountPercent, r.HourlyCommitment)),
    ];

    /// <summary>The On-Demand nodes among <paramref name="nodes"/> at their list price (unknown types are left out: nothing can price them).</summary>
    public static IReadOnlyList<OnDemandUsage> OnDemandUsage(
        IEnumerable<(string InstanceId, string InstanceType, string Zone, bool OnDemand)> nodes, string region, MarketQuotes? market)
    {
        var prices = market?.OnDemand.ToDictionary(o => o.InstanceType, o => o.PricePerHour, StringComparer.Ordinal) ?? [];
        return [.. nodes.Where(n => n.OnDemand && prices.ContainsKey(n.InstanceType))
            .Select(n => new OnDemandUsage(n.InstanceId, n.InstanceType, region, n.Zone, prices[n.InstanceType]))];
    }

    private static CommitmentKind Kind(string kind) => kind switch
    {
        CommitmentKinds.ReservedInstance => CommitmentKind.ReservedInstance,
        CommitmentKinds.Ec2InstanceSavingsPlan => CommitmentKind.Ec2InstanceSavingsPlan,
        CommitmentKinds.ComputeSavingsPlan => CommitmentKind.ComputeSavingsPlan,
        _ => throw new InvalidOperationException($"Unknown commitment kind '{kind}' in the commitments table."),
    };
}

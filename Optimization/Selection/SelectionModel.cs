using SpotOptimizer.Optimization.Market;

namespace SpotOptimizer.Optimization.Selection;

/// <summary>
/// What a workload needs: <see cref="Count"/> units (pods) requesting <see cref="VCpu"/> and <see cref="MemoryGiB"/>
/// each, on nodes of <see cref="Architecture"/> from the node template's <see cref="Families"/>, preferably in
/// <see cref="AvailabilityZones"/> (the node group's subnets; null = any zone of the region). Units are packed on a
/// node's allocatable resources (what kubelet leaves to pods), so larger nodes hold proportionally more.
/// </summary>
public sealed record WorkloadRequirements(
    int Count,
    double VCpu,
    double MemoryGiB,
    CpuArchitecture Architecture,
    IReadOnlyList<string> Families,
    IReadOnlyList<string>? AvailabilityZones = null,
    IReadOnlyList<WorkloadSpread>? Spread = null)
{
    /// <summary>How many units one node of <paramref name="type"/> holds (0: too small).</summary>
    public int UnitsPerNode(InstanceTypeInfo type)
    {
        var byCpu = VCpu > 0 ? type.AllocatableCpuMillicores / 1000.0 / VCpu : double.MaxValue;
        var byMemory = MemoryGiB > 0 ? type.AllocatableMemoryMiB / 1024.0 / MemoryGiB : double.MaxValue;
        var units = Math.Floor(Math.Min(byCpu, byMemory) + 1e-9);
        return units >= int.MaxValue ? int.MaxValue : (int)units;
    }
}

/// <summary>
/// One workload (Deployment, ReplicaSet …) among the units of a <see cref="WorkloadRequirements"/>, with its own blast-radius
/// rules: <see cref="MaxPoolShare"/>, the largest share of its replicas one pool may hold (one reclaim takes out at most
/// the pool's nodes), stricter than the policy's when set; <see cref="ZoneMaxSkew"/>, the max skew of its topology
/// spread constraint over zones (<c>whenUnsatisfiable: DoNotSchedule</c>), which the selection honours by keeping the
/// capacity of each zone within what an even spread needs. The scheduler spreads a workload's replicas over the
/// nodes, so a pool holding a share of the units holds about that share of each workload's replicas.
/// </summary>
public sealed record WorkloadSpread(string Name, int Replicas, double? MaxPoolShare = null, int? ZoneMaxSkew = null);

/// <summary>
/// How to trade price against risk and how far to fall back. Weights are relative (normalised to sum 1).
/// <see cref="MaxPoolShare"/> caps the share of units in one pool (blast radius of one pool's interruption); a pool
/// may always hold one node, so a workload smaller than a node per share still runs on Spot.
/// Fallback order when the preferred pools cannot hold the workload: other zones of the same families
/// (<see cref="AllowOtherZones"/>), then <see cref="FallbackFamilies"/>, then On-Demand
/// (<see cref="AllowOnDemandFallback"/>).
/// <see cref="BestCapacityTierOnly"/> keeps, within each fallback tier, only the pools of the best Spot Advisor
/// interruption bucket among those eligible, as AWS's price-capacity-optimized does before it looks at prices: fewer
/// interruptions for a few percent more (the "stability" strategy).
/// <see cref="CapacityTierFirst"/> ranks, within each fallback tier, the pools of the best Spot Advisor bucket first,
/// then the next bucket … (as price-capacity-optimized does, but worse buckets stay as overflow instead of being
/// dropped); within a bucket, pools whose price is at least <see cref="PriceSpikeThreshold"/> above its minimum of
/// the last 24 h come after the calm ones (a price climbing out of its floor is capacity tightening, which anyone
/// can see; 0 turns this off), and the price/risk score orders the rest. Larger nodes win ties in score: for the same
/// pods fewer nodes are exposed to reclaims. <see cref="CapacityTierWidth"/> buckets rank as one group (2: buckets 0
/// and 1 first, then 2 and 3, then 4), so that price and risk choose between neighbouring buckets.
/// </summary>
public sealed record SelectionPolicy(
    double PriceWeight = 0.6,
    double RiskWeight = 0.4,
    double MaxPoolShare = 0.5,
    bool AllowOtherZones = true,
    IReadOnlyList<string>? FallbackFamilies = null,
    bool AllowOnDemandFallback = true,
    bool ExcludeAvoid = true,
    bool BestCapacityTierOnly = false,
    bool CapacityTierFirst = true,
    double PriceSpikeThreshold = 0.03,
    int CapacityTierWidth = 2)
{
    /// <summary>
    /// The default ("balanced"): at most half of a workload in one pool, Spot Advisor buckets 0 and 1 ranked as one group.
    /// Chosen on the spot benchmark's tuning window only: 25 % cost 3.3 % more than lowest-price there, 50 % 2.1 % (the
    /// cheapest bucket-0 pool is well below the rest); one reclaim still takes 15 % of a workload on average, as
    /// price-capacity-optimized's four pools do. Buckets 0 and 1 together (with the fleet acting on AWS's warnings) met
    /// every target at 200, 500 and 1,000 vCPU there, where bucket 0 first stayed 2.2 % above lowest-price and cannot get
    /// within 2 % at 500 vCPU and above (bench/README.md); its placement is riskier (about 2.7 × PCO's exposure) and
    /// its interruptions match PCO's only because it moves out of pools on rebalance recommendations.
    /// </summary>
    public static SelectionPolicy Default { get; } = new();

    /// <summary>
    /// The "stability" strategy: only the best Spot Advisor bucket on offer, at most a quarter of a workload in one pool.
    /// </summary>
    public static SelectionPolicy Stability { get; } = new(MaxPoolShare: 0.25, BestCapacityTierOnly: true);
}

/// <summary>A Spot pool offered to the selection, with its interruption probability already assessed.</summary>
/// <param name="InterruptionBucket">The Spot Advisor's interruption-frequency bucket (0 best … 4 worst), null when unknown.</param>
/// <param name="PriceRise">How far the price stands above its minimum of the last 24 h (0.05: 5 % above; 0 when unknown).</param>
public sealed record PoolCandidate(SpotPoolId Pool, InstanceTypeInfo Type, double SpotPrice, double InterruptionProbability, int? InterruptionBucket = null, double PriceRise = 0)
{
    /// <summary>The price rise over the minimum of the last 24 h of an oldest-first hourly history ending with the current price (0 without history).</summary>
    public static double RiseOverDayMinimum(IReadOnlyList<double> hourlyHistory)
    {
        if (hourlyHistory.Count == 0) return 0;
        var current = hourlyHistory[^1];
        var min = current;
        for (var i = Math.Max(0, hourlyHistory.Count - 25); i < hourlyHistory.Count; i++)
        {
            if (hourlyHistory[i] > 0 && hourlyHistory[i] < min) min = hourlyHistory[i];
        }

        return min > 0 && double.IsFinite(current) ? current / min - 1 : 0;
    }
}

public enum SelectionTier
{
    Preferred = 0,
    OtherZone = 1,
    OtherFamily = 2,
    OnDemand = 3,
}

public enum PurchaseOption
{
    Spot = 0,
    OnDemand = 1,
}

public enum RejectReason
{
    RiskFlagged = 1,
    PredictedAvoid = 2,
    ArchitectureMismatch = 3,
    FamilyNotAllowed = 4,
    ZoneNotAllowed = 5,
    TooSmall = 6,
    NoPrice = 7,
    WorseCapacityTier = 8,
}

public enum SelectionOutcome
{
    /// <summary>Every unit placed in preferred pools.</summary>
    Satisfied = 0,

    /// <summary>Every unit placed, some through a fallback tier.</summary>
    SatisfiedWithFallback = 1,

    /// <summary>Units left unplaced: see <see cref="SpotSelection.Error"/>.</summary>
    InsufficientCapacity = 2,
}

/// <summary>An eligible pool with its normalised score (lower is better) in the order the selection tried them.</summary>
public sealed record RankedPool(SpotPoolId Pool, SelectionTier Tier, int UnitsPerNode, double UnitPrice, double Risk, double Score);

/// <summary>
/// Nodes to run in one pool; <see cref="Units"/> may exceed what was asked by less than one node. For On-Demand the
/// zone is <see cref="SpotSelector.AnyZone"/> and there is no score. <see cref="CoversRemainder"/>: the pool only
/// holds the remainder smaller than a node (often a smaller size, dearer per unit than the bulk, see
/// <see cref="SpotSelector"/>), so its unit price is not the price the bulk was bought at.
/// </summary>
public sealed record PoolAllocation(
    SpotPoolId Pool,
    PurchaseOption Purchase,
    SelectionTier Tier,
    int Nodes,
    int UnitsPerNode,
    double PricePerNodeHour,
    double Risk,
    double? Score,
    bool CoversRemainder = false)
{
    public int Units => Nodes * UnitsPerNode;

    public double HourlyCost => Nodes * PricePerNodeHour;
}

public sealed record PoolRejection(SpotPoolId Pool, RejectReason Reason);

/// <summary>MOD-SPOT-01's answer: plain data, the chosen pools, the ranking, every rejected pool with its reason.</summary>
/// <param name="Error">Set when units were left unplaced (after any On-Demand fallback).</param>
/// <param name="SpotShortfall">Set when Spot alone could not hold every unit, whether or not On-Demand then did: why, with
/// no word about fallback, so a caller that chose the fallback itself can say what happened in its own terms.</param>
public sealed record SpotSelection(
    SelectionOutcome Outcome,
    int UnitsRequested,
    int UnitsPlaced,
    IReadOnlyList<PoolAllocation> Allocations,
    IReadOnlyList<RankedPool> Ranking,
    IReadOnlyList<PoolRejection> Rejections,
    string? Error,
    string? SpotShortfall = null)
{
    public double HourlyCost => Allocations.Sum(a => a.HourlyCost);
}

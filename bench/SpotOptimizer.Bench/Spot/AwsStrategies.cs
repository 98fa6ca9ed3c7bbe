namespace SpotOptimizer.Bench.Spot;

/// <summary>Every node On-Demand, in the cheapest type per unit of the template: the bill Spot is measured against.</summary>
internal sealed class OnDemandStrategy : IFleetStrategy
{
    public string Name => "All On-Demand";

    public IReadOnlyList<Launch> Launch(FleetView view, int units, int? unavailablePool)
    {
        var offer = Array.IndexOf(view.Market.OnDemand, view.Market.CheapestOnDemand);
        var perNode = view.Market.Workload.UnitsPerNode(view.Market.CheapestOnDemand.Type);
        return [new Launch(-1 - offer, (units + perNode - 1) / perNode)];
    }

    public IReadOnlyList<Node> Drain(FleetView view) => [];
}

/// <summary>
/// AWS's allocation strategies as EC2 Fleet / Auto Scaling run them in "maintain" mode: the strategy picks pools for
/// every launch (the initial fleet and each replacement of an interrupted node) and never moves running nodes.
/// Capacity is spread node by node over the strategy's first <see cref="Pools"/> pools (to the one holding the
/// fewest units). A pool that has just reclaimed capacity cannot launch at that instant.
/// </summary>
internal abstract class AwsStrategy(int pools) : IFleetStrategy
{
    public abstract string Name { get; }

    protected int Pools { get; } = pools;

    public virtual IReadOnlyList<Node> Drain(FleetView view) => [];

    public IReadOnlyList<Launch> Launch(FleetView view, int units, int? unavailablePool)
    {
        var candidates = new List<int>();
        for (var p = 0; p < view.Market.Pools.Length; p++)
        {
            if (p != unavailablePool && !double.IsNaN(view.Market.Price(p, view.Hour))) candidates.Add(p);
        }

        var chosen = Rank(view, candidates).Take(Pools).ToList();
        var held = chosen.ToDictionary(p => p, p => view.Fleet.Where(n => n.Slot == p).Sum(n => n.Units));
        var launches = new Dictionary<int, int>();
        while (units > 0 && chosen.Count > 0)
        {
            var pool = chosen.MinBy(p => (held[p], chosen.IndexOf(p)));
            launches[pool] = launches.GetValueOrDefault(pool) + 1;
            held[pool] += view.Market.Pools[pool].Units;
            units -= view.Market.Pools[pool].Units;
        }

        return launches.Select(l => new Launch(l.Key, l.Value)).ToList();
    }

    /// <summary>Candidate pools, best first.</summary>
    protected abstract IEnumerable<int> Rank(FleetView view, List<int> candidates);

    protected static double UnitPrice(FleetView view, int pool) => view.Market.Price(pool, view.Hour) / view.Market.Pools[pool].Units;

    protected static int Bucket(FleetView view, int pool) => view.Market.Pools[pool].Bucket ?? 5;
}

/// <summary>lowest-price: the cheapest pools per unit (Auto Scaling's default of 2 Spot pools).</summary>
internal sealed class LowestPriceStrategy() : AwsStrategy(2)
{
    public override string Name => "lowest-price (2 pools)";

    protected override IEnumerable<int> Rank(FleetView view, List<int> candidates) =>
        candidates.OrderBy(p => UnitPrice(view, p)).ThenBy(p => view.Market.Pools[p].Id);
}

/// <summary>
/// capacity-optimized, approximated: AWS picks the pools with the most spare capacity, which we cannot see; we take
/// the lowest Spot Advisor bucket and, within it, a fixed per-seed order standing for capacity depth (price plays no part).
/// </summary>
internal sealed class CapacityOptimizedStrategy(int seed) : AwsStrategy(4)
{
    public override string Name => "capacity-optimized (4 pools)";

    protected override IEnumerable<int> Rank(FleetView view, List<int> candidates) =>
        candidates.OrderBy(p => Bucket(view, p)).ThenBy(p => Depth(seed, p));

    private static ulong Depth(int seed, int pool)
    {
        var x = ((ulong)(uint)seed << 32 | (uint)pool) + 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}

/// <summary>price-capacity-optimized, approximated: the best Spot Advisor bucket present, then the lowest price per unit.</summary>
internal sealed class PriceCapacityOptimizedStrategy() : AwsStrategy(4)
{
    public override string Name => "price-capacity-optimized (4 pools)";

    protected override IEnumerable<int> Rank(FleetView view, List<int> candidates) => RankFor(view, candidates);

    internal IEnumerable<int> RankFor(FleetView view, List<int> candidates)
    {
        var best = candidates.Min(p => Bucket(view, p));
        return candidates.Where(p => Bucket(view, p) == best).OrderBy(p => UnitPrice(view, p)).ThenBy(p => view.Market.Pools[p].Id);
    }
}

/// <summary>
/// price-capacity-optimized with EC2 Fleet's Capacity Rebalancing (<c>launch-before-terminate</c>), for comparison
/// only: on a rebalance recommendation for a pool the fleet runs in, it launches replacements elsewhere and
/// terminates the warned nodes (the simulator charges the overlap as for any move). It acts on every recommendation,
/// followed by a reclaim or not, and on nothing else; AWS's strategies in the targets run without it.
/// </summary>
internal sealed class PriceCapacityOptimizedRebalancingStrategy() : AwsStrategy(4)
{
    public const string StrategyName = "price-capacity-optimized + Capacity Rebalancing (4 pools)";

    private readonly PriceCapacityOptimizedStrategy _ranking = new();

    public override string Name => StrategyName;

    public override IReadOnlyList<Node> Drain(FleetView view) =>
        view.Warned is { } pool ? view.Fleet.Where(n => n.Slot == pool).ToList() : [];

    protected override IEnumerable<int> Rank(FleetView view, List<int> candidates) => _ranking.RankFor(view, candidates);
}

using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Risk;
using SpotOptimizer.Optimization.Selection;

namespace SpotOptimizer.Bench.Spot;

/// <summary>One pool of the benchmark's universe: its type, how many workload units a node holds, its advisor bucket.</summary>
internal sealed record PoolInfo(SpotPoolId Id, InstanceTypeInfo Type, int Units, int? Bucket, double OnDemandPrice);

/// <summary>
/// The replayed market: the hourly price grid of the pools a node template of general-purpose x86 families
/// (sizes large … 4xlarge) allows, with On-Demand prices and Spot Advisor buckets, and the workload: a fixed
/// capacity of pods requesting 1 vCPU / 2 GiB each, packed on allocatable resources (a c5.4xlarge holds 13).
/// </summary>
internal sealed class BenchMarket
{
    public static readonly string[] Sizes = ["large", "xlarge", "2xlarge", "4xlarge"];

    private BenchMarket(HourlyPriceGrid grid, PoolInfo[] pools, OnDemandOffer[] onDemand, WorkloadRequirements workload, RiskReferenceData reference)
    {
        Grid = grid;
        Pools = pools;
        OnDemand = onDemand;
        Workload = workload;
        Reference = reference;
        ReplicaSets = SplitReplicas(workload.Count);
        var cheapest = onDemand.MinBy(o => o.PricePerHour / workload.UnitsPerNode(o.Type))!;
        CheapestOnDemand = cheapest;
        OnDemandUnitPrice = cheapest.PricePerHour / workload.UnitsPerNode(cheapest.Type);
    }

    public HourlyPriceGrid Grid { get; }

    /// <summary>Parallel to <see cref="HourlyPriceGrid.Pools"/> of <see cref="Grid"/>.</summary>
    public PoolInfo[] Pools { get; }

    public OnDemandOffer[] OnDemand { get; }

    public OnDemandOffer CheapestOnDemand { get; }

    /// <summary>The cheapest On-Demand price of one unit: what lost work is valued at.</summary>
    public double OnDemandUnitPrice { get; }

    public WorkloadRequirements Workload { get; }

    /// <summary>
    /// The pods as replica sets of one cluster's workloads (40/30/20/10 % of them), whose blast radius the benchmark
    /// reports: a reclaim should take a small share of any one workload.
    /// </summary>
    public int[] ReplicaSets { get; }

    private static readonly double[] ReplicaShares = [0.4, 0.3, 0.2, 0.1];

    private static int[] SplitReplicas(int pods)
    {
        if (pods < 10) return [pods];
        var sets = ReplicaShares.Select(s => Math.Max(1, (int)Math.Round(pods * s))).ToArray();
        sets[0] += pods - sets.Sum();
        return sets;
    }

    public RiskReferenceData Reference { get; }

    public int Hours => Grid.Hours;

    public double Price(int pool, int hour) => Grid.Prices[pool][hour];

    public static BenchMarket Build(
        SpotPriceBook book,
        IReadOnlyDictionary<string, InstanceTypeInfo> catalog,
        IReadOnlyDictionary<string, double> onDemandPrices,
        IReadOnlyDictionary<string, int> buckets,
        IReadOnlyList<string> families,
        int vcpu)
    {
        var workload = new WorkloadRequirements(vcpu, 1, 2, CpuArchitecture.Amd64, families);
        var familySet = families.ToHashSet(StringComparer.Ordinal);
        bool Allowed(string type) =>
            catalog.TryGetValue(type, out var info) && familySet.Contains(info.Family) && Sizes.Contains(info.Size)
            && info.Architecture == CpuArchitecture.Amd64 && onDemandPrices.ContainsKey(type) && workload.UnitsPerNode(info) >= 1;

        var start = new DateTimeOffset(book.Start.UtcTicks - book.Start.UtcTicks % TimeSpan.TicksPerHour, TimeSpan.Zero).AddHours(1);
        var hours = (int)Math.Floor((book.End - start).TotalHours);
        var grid = HourlyPriceGrid.Build(book, start, hours, p => Allowed(p.InstanceType));
        var pools = grid.Pools.Select(p =>
        {
            var type = catalog[p.InstanceType];
            return new PoolInfo(p, type, workload.UnitsPerNode(type), buckets.TryGetValue(p.InstanceType, out var b) ? b : null, onDemandPrices[p.InstanceType]);
        }).ToArray();
        var onDemand = catalog.Values.Where(t => Allowed(t.Name)).OrderBy(t => t.Name, StringComparer.Ordinal)
            .Select(t => new OnDemandOffer(t, onDemandPrices[t.Name])).ToArray();
        if (pools.Length == 0 || onDemand.Length == 0) throw new ArgumentException("no pool of the chosen families and sizes in the price history");
        return new BenchMarket(grid, pools, onDemand, workload, new RiskReferenceData(onDemandPrices, buckets));
    }

    /// <summary>
    /// A lower bound on what any fleet holding only pools of Spot Advisor bucket ≤ <paramref name="maxBucket"/> pays over
    /// hours [<paramref name="fromHour"/>, <paramref name="toHour"/>): every hour, the whole workload at the cheapest
    /// such pool's price per pod, as if nodes were divisible and moves, boots and interruptions free.
    /// </summary>
    public double CheapestCapacityCost(int fromHour, int toHour, int maxBucket)
    {
        var total = 0.0;
        for (var hour = fromHour; hour < toHour; hour++)
        {
            var cheapest = double.PositiveInfinity;
            for (var p = 0; p < Pools.Length; p++)
            {
                var price = Price(p, hour);
                if (Pools[p].Bucket <= maxBucket && !double.IsNaN(price)) cheapest = Math.Min(cheapest, price / Pools[p].Units);
            }

            total += cheapest * Workload.Count;
        }

        return total;
    }

    /// <summary>The market snapshot the product would see at the start of <paramref name="hour"/>.</summary>
    public MarketSnapshot Snapshot(int hour)
    {
        var quotes = new List<PoolQuote>(Pools.Length);
        for (var p = 0; p < Pools.Length; p++)
        {
            if (double.IsNaN(Price(p, hour))) continue;
            var info = Pools[p];
            quotes.Add(new PoolQuote(info.Id, info.Type, Price(p, hour), info.OnDemandPrice, info.Bucket, Grid.History(p, hour, MarketSnapshot.DefaultHistoryHours).ToArray()));
        }

        return new MarketSnapshot("bench", Grid.TimeOf(hour), quotes, OnDemand);
    }
}

using SpotOptimizer.Optimization.Decision;
using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Risk;
using SpotOptimizer.Optimization.Selection;

namespace SpotOptimizer.Bench.Spot;

/// <summary>
/// Ours: the product's decision engine (interruption model through its contract guard, flagged pools from the hive
/// mind, MOD-SPOT-01 selection with spreading and a right-sized remainder) for every launch, plus an hourly rebalance
/// by the product's planner: drain nodes in flagged or AVOID pools, and nodes whose move pays back within a day against
/// the replacement the decision engine would really buy, and nodes in pools whose price spiked when the replacement
/// costs no more than the policy allows. The default ranks the best Spot Advisor bucket first, calm prices before
/// spiking ones, then price and the model's risk (<see cref="SelectionPolicy.CapacityTierFirst"/>). With <see cref="SelectionPolicy.BestCapacityTierOnly"/> it is
/// the product's "stability" strategy: only the best Spot Advisor bucket on offer is ranked. Given the hour's Spot
/// placement scores (AWS's, simulated by <see cref="AwsWarnings"/>), every decision passes them to the engine as the
/// product does (<see cref="SpotDecisionRequest.PlacementScores"/>).
/// </summary>
internal sealed class OursStrategy : IFleetStrategy
{
    private readonly BenchMarket _market;
    private readonly RiskAssessor _risk;
    private readonly SelectionPolicy _selection;
    private readonly RebalancePolicy _rebalance;
    private readonly Dictionary<SpotPoolId, int> _pools;
    private readonly Dictionary<string, int> _onDemand;
    private readonly string? _name;
    private readonly AwsWarnings? _placement;
    private readonly PlacementScorePolicy _placementPolicy;
    private int _snapshotHour = -1;
    private MarketSnapshot? _snapshot;
    private PlacementScores? _scores;

    public OursStrategy(BenchMarket market, RiskAssessor risk, SelectionPolicy selection, RebalancePolicy rebalance, string? name = null,
        AwsWarnings? placementScores = null, PlacementScorePolicy? placementPolicy = null)
    {
        _name = name;
        _placement = placementScores;
        _placementPolicy = placementPolicy ?? PlacementScorePolicy.Default;
        _market = market;
        _risk = risk;
        _selection = selection;
        _rebalance = rebalance;
        _pools = market.Pools.Select((p, i) => (p.Id, i)).ToDictionary(x => x.Id, x => x.i);
        _onDemand = market.OnDemand.Select((o, i) => (o.Type.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
    }

    public const string BalancedName = "ours, default (balanced)";
    public const string StabilityName = "ours, stability strategy";

    public string Name => _name ?? (_selection.BestCapacityTierOnly ? StabilityName : BalancedName);

    public int FallbackDecisions { get; private set; }

    public IReadOnlyList<Node> Drain(FleetView view)
    {
        var running = view.Fleet.GroupBy(n => n.Slot).Select(g => Running(view, g.Key, g.Count())).ToList();
        var ideal = Decide(view, _market.Workload.Count, view.Flagged, placed: null);
        var drained = new List<Node>();
        var orders = RebalancePlanner.PlanVerified(running, ideal, view.Flagged, _rebalance, _market.Workload.Count,
            (units, placed) => Decide(view, units, view.Flagged, placed).Selection);
        foreach (var order in orders)
        {
            var slot = order.Purchase == PurchaseOption.Spot ? _pools[order.Pool] : -1 - _onDemand[order.Pool.InstanceType];
            drained.AddRange(view.Fleet.Where(n => n.Slot == slot).OrderByDescending(n => n.Serial).Take(order.Nodes));
        }

        return drained;
    }

    public IReadOnlyList<Launch> Launch(FleetView view, int units, int? unavailablePool)
    {
        var flagged = view.Flagged;
        if (unavailablePool is { } p && !flagged.Contains(_market.Pools[p].Id)) flagged = new HashSet<SpotPoolId>(flagged) { _market.Pools[p].Id };
        var placed = view.Fleet.Where(n => n.IsSpot).GroupBy(n => _market.Pools[n.Slot].Id).ToDictionary(g => g.Key, g => g.Sum(n => n.Units));
        var decision = Decide(view, units, flagged, placed);
        return decision.Selection.Allocations
            .Select(a => new Launch(a.Purchase == PurchaseOption.Spot ? _pools[a.Pool] : -1 - _onDemand[a.Pool.InstanceType], a.Nodes))
            .ToList();
    }

    private SpotDecision Decide(FleetView view, int units, IReadOnlySet<SpotPoolId> flagged, IReadOnlyDictionary<SpotPoolId, int>? placed)
    {
        if (_snapshotHour != view.Hour)
        {
            _snapshot = _market.Snapshot(view.Hour);
            _scores = _placement is null ? null : HourScores(_placement, view.Hour);
            _snapshotHour = view.Hour;
        }

        var request = new SpotDecisionRequest(_market.Workload with { Count = units }, _snapshot!, flagged, _selection, _snapshot!.At, placed) { PlacementScores = _scores };
        var decision = SpotDecisionEngine.Decide(request, _risk);
        if (decision.RiskSource == RiskSource.HeuristicFallback) FallbackDecisions++;
        return decision;
    }

    /// <summary>The scores a GetSpotPlacementScores call at the hour's start would return for the benchmark's pools.</summary>
    private PlacementScores HourScores(AwsWarnings warnings, int hour)
    {
        var byPool = new Dictionary<SpotPoolId, int>(_market.Pools.Length);
        for (var pool = 0; pool < _market.Pools.Length; pool++)
        {
            if (warnings.PlacementScore(pool, hour) is { } score) byPool[_market.Pools[pool].Id] = score;
        }

        return new PlacementScores(byPool, _placementPolicy);
    }

    private RunningPool Running(FleetView view, int slot, int nodes) => slot >= 0
        ? new RunningPool(_market.Pools[slot].Id, PurchaseOption.Spot, nodes, _market.Pools[slot].Units, _market.Price(slot, view.Hour))
        : new RunningPool(new SpotPoolId(SpotSelector.AnyZone, _market.OnDemand[-1 - slot].Type.Name), PurchaseOption.OnDemand, nodes,
            _market.Workload.UnitsPerNode(_market.OnDemand[-1 - slot].Type), _market.OnDemand[-1 - slot].PricePerHour);
}

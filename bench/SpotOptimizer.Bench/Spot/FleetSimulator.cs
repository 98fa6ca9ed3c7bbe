using SpotOptimizer.Optimization.Market;

namespace SpotOptimizer.Bench.Spot;

/// <summary>A running node: a Spot pool index (≥ 0) or an On-Demand offer (<c>−1 − offer index</c>).</summary>
internal sealed class Node(long serial, int slot, int units)
{
    public long Serial { get; } = serial;

    public int Slot { get; } = slot;

    public int Units { get; } = units;

    /// <summary>Fraction of the current hour at which the node started being billed.</summary>
    public double Since { get; set; }

    public bool IsSpot => Slot >= 0;
}

/// <summary>Launch <see cref="Nodes"/> nodes in a slot (Spot pool index or On-Demand offer, as in <see cref="Node.Slot"/>).</summary>
internal readonly record struct Launch(int Slot, int Nodes);

/// <summary>
/// What a strategy sees when it decides: the hour, the fleet, the pools the hive mind has flagged, and, when it is
/// asked to drain on a warning, the pool <see cref="Warned"/>.
/// </summary>
internal sealed record FleetView(BenchMarket Market, int Hour, IReadOnlyList<Node> Fleet, IReadOnlySet<SpotPoolId> Flagged, int? Warned = null)
{
    public int Units => Fleet.Sum(n => n.Units);
}

internal interface IFleetStrategy
{
    string Name { get; }

    /// <summary>Nodes to add <paramref name="units"/> of capacity; <paramref name="unavailablePool"/> just reclaimed its capacity.</summary>
    IReadOnlyList<Launch> Launch(FleetView view, int units, int? unavailablePool);

    /// <summary>Nodes to replace voluntarily at the start of an hour (AWS's strategies never do: EC2 Fleet "maintain").</summary>
    IReadOnlyList<Node> Drain(FleetView view);
}

/// <summary>
/// The cost model. Compute: each node pays its pool's price of the hour (the price in force at the hour's start)
/// for the part of the hour it runs. An interrupted node loses <see cref="LostMinutes"/> of its units' work, valued
/// at the cheapest On-Demand price per unit, and its replacement pays <see cref="BootMinutes"/> of its own price
/// before it works. A voluntary move keeps the old node <see cref="MoveOverlapMinutes"/> longer (the new one boots
/// while the old one drains), without lost work. Every node launched for a lost or moved node is a replacement.
/// </summary>
internal sealed record CostModel(double LostMinutes = 10, double BootMinutes = 3, double MoveOverlapMinutes = 5)
{
    public static CostModel Default { get; } = new();
}

/// <summary>
/// One strategy's replay of one seed. <see cref="Exposure"/>: the interruptions its placement was exposed to,
/// Σ node-hours × <see cref="InterruptionProcess.PublicHazard"/> (NaN for the oracle, which sees the events).
/// <see cref="InterruptedUnits"/>: pods on the interrupted nodes (as the scheduler spread them, not the nodes' slots).
/// Blast radius per workload: for each reclaim that interrupted a node, the largest share of one workload's replicas it
/// took; <see cref="WorkloadLossSum"/> over the <see cref="Reclaims"/> such reclaims, <see cref="WorkloadLossMax"/> the worst.
/// </summary>
internal sealed record RunResult(
    string Strategy, int Seed, double Compute, double LostWork, double Overhead, int Interruptions, int InterruptedUnits, int Replacements, int ProactiveMoves, double NodeHours, double Exposure,
    int Reclaims = 0, double WorkloadLossSum = 0, double WorkloadLossMax = 0)
{
    public double Total => Compute + LostWork + Overhead;
}

/// <summary>
/// Replays one strategy over one window for one seed's interruption events. The hive mind sees every reclaim (some
/// tenant runs in every pool) and every rebalance recommendation: a pool stays flagged for every tenant for the risk
/// TTL after the last one it saw. Which warnings the strategy acts on at once is <c>signals</c>:
/// <list type="bullet">
/// <item>without <see cref="WarningSignals.Notice"/> a reclaim flags the pool for the launches that replace its nodes,
/// and the strategy's other nodes there wait for the next hour's <see cref="IFleetStrategy.Drain"/>;
/// with it, the strategy is asked to drain at the moment of the reclaim's notice, so it can leave the pool before a
/// follow-on reclaim;</item>
/// <item>with <see cref="WarningSignals.Rebalance"/> every rebalance recommendation flags its pool and the strategy is
/// asked to drain at that moment (without it, recommendations are not seen at all);</item>
/// <item>placement scores are the strategy's own input (<see cref="OursStrategy"/>), not the simulator's.</item>
/// </list>
/// A drain within the hour pays the moved node up to that moment plus <see cref="CostModel.MoveOverlapMinutes"/>; its
/// replacement is billed from the same moment.
/// </summary>
internal static class FleetSimulator
{
    public static RunResult Run(BenchMarket market, IFleetStrategy strategy, InterruptionProcess process, int fromHour, int toHour, int riskTtlMinutes, CostModel costs,
        WarningSignals signals = WarningSignals.None, AwsWarnings? warnings = null)
    {
        var fleet = new List<Node>();
        long serials = 0;
        var lastEvent = Enumerable.Repeat(double.NegativeInfinity, market.Pools.Length).ToArray();
        double compute = 0, lostWork = 0, overhead = 0, nodeHours = 0, exposure = 0;
        int interruptions = 0, interruptedUnits = 0, replacements = 0, moves = 0, reclaims = 0;
        double lossSum = 0, lossMax = 0;
        var replicas = market.ReplicaSets;
        var ttlHours = riskTtlMinutes / 60.0;
        var next = Array.FindIndex(process.Events, e => e.Time >= fromHour);
        if (next < 0) next = process.Events.Length;
        var actOnNotice = signals.HasFlag(WarningSignals.Notice);
        RebalanceRecommendation[] rebalances = signals.HasFlag(WarningSignals.Rebalance)
            ? warnings?.Rebalances ?? throw new ArgumentException("the rebalance signal needs the warnings", nameof(warnings))
            : [];
        var nextRebalance = Array.FindIndex(rebalances, r => r.Time >= fromHour);
        if (nextRebalance < 0) nextRebalance = rebalances.Length;

        double HazardOf(Node node, int hour) => node.IsSpot ? InterruptionProcess.PublicHazard(market, node.Slot, hour) : 0;

        double PriceOf(Node node, int hour) => node.IsSpot ? market.Price(node.Slot, hour) : market.OnDemand[-1 - node.Slot].PricePerHour;

        FleetView View(int hour, double now, int? warned = null) => new(market, hour, fleet, Flagged(market, lastEvent, now, ttlHours), warned);

        List<Node> Add(IReadOnlyList<Launch> launches, double since)
        {
            var added = new List<Node>();
            foreach (var launch in launches)
            {
                var units = launch.Slot >= 0 ? market.Pools[launch.Slot].Units : market.Workload.UnitsPerNode(market.OnDemand[-1 - launch.Slot].Type);
                for (var i = 0; i < launch.Nodes; i++) added.Add(new Node(serials++, launch.Slot, units) { Since = since });
            }

            fleet.AddRange(added);
            return added;
        }

        // A warning in a pool the fleet runs in: the strategy drains at that moment (AWS's strategies drain nothing,
        // unless run with Capacity Rebalancing).
        void DrainNow(int hour, double now, int pool)
        {
            if (!fleet.Exists(n => n.Slot == pool)) return;
            var drained = strategy.Drain(View(hour, now, pool));
            if (drained.Count == 0) return;
            var at = now - hour;
            foreach (var node in drained)
            {
                fleet.Remove(node);
                compute += PriceOf(node, hour) * (at - node.Since);
                nodeHours += at - node.Since;
                exposure += HazardOf(node, hour) * (at - node.Since);
                overhead += PriceOf(node, hour) * costs.MoveOverlapMinutes / 60;
            }

            var missing = market.Workload.Count - fleet.Sum(n => n.Units);
            // Not back into the warned pool (ours has it flagged already; AWS's Capacity Rebalancing leaves it).
            var added = missing > 0 ? Add(strategy.Launch(View(hour, now), missing, pool), at) : [];
            replacements += added.Count;
            moves += drained.Count;
        }

        Add(strategy.Launch(View(fromHour, fromHour), market.Workload.Count, null), 0);
        for (var hour = fromHour; hour < toHour; hour++)
        {
            var drained = strategy.Drain(View(hour, hour));
            if (drained.Count > 0)
            {
                foreach (var node in drained)
                {
                    fleet.Remove(node);
                    overhead += PriceOf(node, hour) * costs.MoveOverlapMinutes / 60;
                }

                var missing = market.Workload.Count - fleet.Sum(n => n.Units);
                var added = missing > 0 ? Add(strategy.Launch(View(hour, hour), missing, null), 0) : [];
                replacements += added.Count;
                moves += drained.Count;
            }

            while (true)
            {
                var eventTime = next < process.Events.Length && process.Events[next].Time < hour + 1 ? process.Events[next].Time : double.PositiveInfinity;
                var rebalanceTime = nextRebalance < rebalances.Length && rebalances[nextRebalance].Time < hour + 1 ? rebalances[nextRebalance].Time : double.PositiveInfinity;
                if (double.IsPositiveInfinity(eventTime) && double.IsPositiveInfinity(rebalanceTime)) break;
                if (rebalanceTime < eventTime)
                {
                    var warning = rebalances[nextRebalance++];
                    lastEvent[warning.Pool] = Math.Max(lastEvent[warning.Pool], warning.Time);
                    DrainNow(hour, warning.Time, warning.Pool);
                    continue;
                }

                var e = process.Events[next++];
                lastEvent[e.Pool] = e.Time;
                var hit = fleet.Where(n => n.Slot == e.Pool && process.Hits(e, n.Serial)).ToList();
                if (hit.Count > 0)
                {
                    var at = e.Time - hour;
                    var pods = PodSpread.Assign(fleet, replicas);
                    var lost = new int[replicas.Length];
                    foreach (var node in hit)
                    {
                        var onNode = pods[fleet.IndexOf(node)];
                        for (var w = 0; w < lost.Length; w++) lost[w] += onNode[w];
                    }

                    var worst = Enumerable.Range(0, lost.Length).Max(w => lost[w] / (double)replicas[w]);
                    reclaims++;
                    lossSum += worst;
                    lossMax = Math.Max(lossMax, worst);
                    interruptedUnits += lost.Sum();
                    foreach (var node in hit)
                    {
                        fleet.Remove(node);
                        compute += PriceOf(node, hour) * (at - node.Since);
                        nodeHours += at - node.Since;
                        exposure += HazardOf(node, hour) * (at - node.Since);
                        lostWork += node.Units * market.OnDemandUnitPrice * costs.LostMinutes / 60;
                        interruptions++;
                    }

                    var missing = market.Workload.Count - fleet.Sum(n => n.Units);
                    var added = missing > 0 ? Add(strategy.Launch(View(hour, e.Time), missing, e.Pool), at) : [];
                    foreach (var node in added) overhead += PriceOf(node, hour) * costs.BootMinutes / 60;
                    replacements += added.Count;
                }

                if (actOnNotice) DrainNow(hour, e.Time, e.Pool);
            }

            foreach (var node in fleet)
            {
                compute += PriceOf(node, hour) * (1 - node.Since);
                nodeHours += 1 - node.Since;
                exposure += HazardOf(node, hour) * (1 - node.Since);
                node.Since = 0;
            }
        }

        return new RunResult(strategy.Name, process.Seed, compute, lostWork, overhead, interruptions, interruptedUnits, replacements, moves, nodeHours, exposure, reclaims, lossSum, lossMax);
    }

    /// <summary>The hive mind's view: pools with a reclaim or a seen rebalance recommendation within the TTL (any tenant's: every one is seen).</summary>
    private static HashSet<SpotPoolId> Flagged(BenchMarket market, double[] lastEvent, double now, double ttlHours)
    {
        var flagged = new HashSet<SpotPoolId>();
        for (var p = 0; p < lastEvent.Length; p++)
        {
            if (now - lastEvent[p] < ttlHours) flagged.Add(market.Pools[p].Id);
        }

        return flagged;
    }
}

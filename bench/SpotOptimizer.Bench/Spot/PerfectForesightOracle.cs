namespace SpotOptimizer.Bench.Spot;

/// <summary>
/// The oracle: knows every future price and every interruption event. It runs the whole fleet in one pool at a time
/// (with foresight there is no blast radius to spread), never sits in a pool during an hour with an event, and
/// moves when the move's overlap cost is repaid: a shortest path over (hour, pool) solved exactly by dynamic
/// programming. Same cost model as the strategies; it is never interrupted.
/// </summary>
internal static class PerfectForesightOracle
{
    public static RunResult Run(BenchMarket market, InterruptionProcess process, int fromHour, int toHour, CostModel costs)
    {
        var pools = market.Pools.Length;
        var slots = pools + 1; // the last slot: the cheapest On-Demand type
        var odPerNode = market.Workload.UnitsPerNode(market.CheapestOnDemand.Type);
        int Nodes(int slot) => (market.Workload.Count + UnitsOf(slot) - 1) / UnitsOf(slot);
        int UnitsOf(int slot) => slot < pools ? market.Pools[slot].Units : odPerNode;
        double Price(int slot, int hour) => slot < pools ? market.Price(slot, hour) : market.CheapestOnDemand.PricePerHour;

        var blocked = new HashSet<(int Pool, int Hour)>();
        foreach (var e in process.Events)
        {
            if (e.Time >= fromHour && e.Time < toHour) blocked.Add((e.Pool, (int)Math.Floor(e.Time)));
        }

        var hours = toHour - fromHour;
        var cost = new double[slots];
        var from = new int[hours, slots];
        for (var s = 0; s < slots; s++)
        {
            cost[s] = HourCost(s, fromHour);
            from[0, s] = s;
        }

        var next = new double[slots];
        for (var h = 1; h < hours; h++)
        {
            var hour = fromHour + h;
            // The best slot to leave: its cost so far plus the overlap its nodes keep running during the move.
            var bestLeave = double.PositiveInfinity;
            var bestLeaveSlot = -1;
            for (var s = 0; s < slots; s++)
            {
                var leave = cost[s] + Nodes(s) * Price(s, hour) * costs.MoveOverlapMinutes / 60;
                if (leave < bestLeave)
                {
                    bestLeave = leave;
                    bestLeaveSlot = s;
                }
            }

            for (var s = 0; s < slots; s++)
            {
                var here = HourCost(s, hour);
                if (cost[s] <= bestLeave)
                {
                    next[s] = cost[s] + here;
                    from[h, s] = s;
                }
                else
                {
                    next[s] = bestLeave + here;
                    from[h, s] = bestLeaveSlot;
                }
            }

            (cost, next) = (next, cost);
        }

        var slot = Array.IndexOf(cost, cost.Min());
        double compute = 0, overhead = 0, nodeHours = 0;
        var replacements = 0;
        var moves = 0;
        for (var h = hours - 1; h >= 0; h--)
        {
            var hour = fromHour + h;
            compute += Nodes(slot) * Price(slot, hour);
            nodeHours += Nodes(slot);
            var previous = from[h, slot];
            if (h > 0 && previous != slot)
            {
                overhead += Nodes(previous) * Price(previous, hour) * costs.MoveOverlapMinutes / 60;
                replacements += Nodes(slot);
                moves += Nodes(previous);
            }

            slot = previous;
        }

        return new RunResult("oracle (perfect foresight)", process.Seed, compute, 0, overhead, 0, 0, replacements, moves, nodeHours, double.NaN);

        double HourCost(int s, int hour)
        {
            var price = Price(s, hour);
            return double.IsNaN(price) || (s < pools && blocked.Contains((s, hour))) ? double.PositiveInfinity : Nodes(s) * price;
        }
    }
}

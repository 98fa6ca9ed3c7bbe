namespace SpotOptimizer.Bench.Spot;

/// <summary>
/// The oracle: knows every future price and every interruption event. It runs the fleet's whole nodes in one slot at a
/// time (with foresight there is no blast radius to spread) and the remainder smaller than one of them in a second
/// slot (a smaller node usually: the strategies may right-size, so the oracle must too, else it is no bound), never
/// sits in a pool during an hour with an event, and moves when the move's overlap cost is repaid. Each part is a
/// shortest path over (hour, slot) solved exactly by dynamic programming: first the remainder's path for each
/// remainder size, then the whole nodes' path with the matching remainder path's cost added to each hour. A switch
/// between slots of different node sizes jumps between two remainder paths: that move is charged in the result, not in
/// the search. Same cost model as the strategies; it is never interrupted.
/// </summary>
internal static class PerfectForesightOracle
{
    public static RunResult Run(BenchMarket market, InterruptionProcess process, int fromHour, int toHour, CostModel costs)
    {
        var pools = market.Pools.Length;
        var slots = pools + 1; // the last slot: the cheapest On-Demand type
        var odPerNode = market.Workload.UnitsPerNode(market.CheapestOnDemand.Type);
        var units = market.Workload.Count;
        var overlap = costs.MoveOverlapMinutes / 60;
        int UnitsOf(int slot) => slot < pools ? market.Pools[slot].Units : odPerNode;
        double Price(int slot, int hour) => slot < pools ? market.Price(slot, hour) : market.CheapestOnDemand.PricePerHour;

        var blocked = new HashSet<(int Pool, int Hour)>();
        foreach (var e in process.Events)
        {
            if (e.Time >= fromHour && e.Time < toHour) blocked.Add((e.Pool, (int)Math.Floor(e.Time)));
        }

        var hours = toHour - fromHour;
        double Cost(int slot, int h, int nodes)
        {
            var price = Price(slot, fromHour + h);
            return double.IsNaN(price) || (slot < pools && blocked.Contains((slot, fromHour + h))) ? double.PositiveInfinity : nodes * price;
        }

        var remainders = new Dictionary<int, int[]>();
        for (var s = 0; s < slots; s++)
        {
            var rest = units % UnitsOf(s);
            if (rest == 0 || remainders.ContainsKey(rest)) continue;
            int Cover(int slot) => (rest + UnitsOf(slot) - 1) / UnitsOf(slot);
            remainders[rest] = Cheapest(slots, hours, (slot, h) => Cost(slot, h, Cover(slot)), (slot, h) => Cover(slot) * Price(slot, fromHour + h) * overlap);
        }

        (int Slot, int Nodes) RemainderAt(int slot, int h)
        {
            var rest = units % UnitsOf(slot);
            if (rest == 0) return (-1, 0);
            var cover = remainders[rest][h];
            return (cover, (rest + UnitsOf(cover) - 1) / UnitsOf(cover));
        }

        double RemainderCost(int slot, int h)
        {
            var (cover, nodes) = RemainderAt(slot, h);
            if (cover < 0) return 0;
            var previous = h > 0 ? RemainderAt(slot, h - 1) : (Slot: cover, Nodes: nodes);
            return Cost(cover, h, nodes) + (previous.Slot != cover ? previous.Nodes * Price(previous.Slot, fromHour + h) * overlap : 0);
        }

        var whole = Cheapest(slots, hours, (slot, h) => Cost(slot, h, units / UnitsOf(slot)) + RemainderCost(slot, h), (slot, h) => units / UnitsOf(slot) * Price(slot, fromHour + h) * overlap);

        double compute = 0, overhead = 0, nodeHours = 0;
        int replacements = 0, moves = 0;
        var before = new Dictionary<int, int>();
        for (var h = 0; h < hours; h++)
        {
            var hour = fromHour + h;
            var fleet = new Dictionary<int, int> { [whole[h]] = units / UnitsOf(whole[h]) };
            var (cover, coverNodes) = RemainderAt(whole[h], h);
            if (cover >= 0) fleet[cover] = fleet.GetValueOrDefault(cover) + coverNodes;
            foreach (var (slot, nodes) in fleet)
            {
                compute += nodes * Price(slot, hour);
                nodeHours += nodes;
                if (h > 0) replacements += Math.Max(0, nodes - before.GetValueOrDefault(slot));
            }

            foreach (var (slot, nodes) in before)
            {
                var gone = nodes - fleet.GetValueOrDefault(slot);
                if (gone <= 0) continue;
                overhead += gone * Price(slot, hour) * overlap;
                moves += gone;
            }

            before = fleet;
        }

        return new RunResult("oracle (perfect foresight)", process.Seed, compute, 0, overhead, 0, 0, replacements, moves, nodeHours, double.NaN);
    }

    /// <summary>
    /// The cheapest slot per hour: hourly <paramref name="cost"/> (infinite when the slot cannot be used) plus
    /// <paramref name="leave"/> for each move, the overlap the old slot's nodes keep running.
    /// </summary>
    private static int[] Cheapest(int slots, int hours, Func<int, int, double> cost, Func<int, int, double> leave)
    {
        var total = new double[slots];
        var from = new int[hours, slots];
        for (var s = 0; s < slots; s++)
        {
            total[s] = cost(s, 0);
            from[0, s] = s;
        }

        var next = new double[slots];
        for (var h = 1; h < hours; h++)
        {
            // The best slot to leave: its cost so far plus the overlap its nodes keep running during the move.
            var bestLeave = double.PositiveInfinity;
            var bestLeaveSlot = -1;
            for (var s = 0; s < slots; s++)
            {
                var left = total[s] + leave(s, h);
                if (left < bestLeave)
                {
                    bestLeave = left;
                    bestLeaveSlot = s;
                }
            }

            for (var s = 0; s < slots; s++)
            {
                var here = cost(s, h);
                if (total[s] <= bestLeave)
                {
                    next[s] = total[s] + here;
                    from[h, s] = s;
                }
                else
                {
                    next[s] = bestLeave + here;
                    from[h, s] = bestLeaveSlot;
                }
            }

            (total, next) = (next, total);
        }

        var path = new int[hours];
        path[hours - 1] = Array.IndexOf(total, total.Min());
        for (var h = hours - 1; h > 0; h--) path[h - 1] = from[h, path[h]];
        return path;
    }
}

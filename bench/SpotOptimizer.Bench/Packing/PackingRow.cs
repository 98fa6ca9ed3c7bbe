using SpotOptimizer.Optimization.Packing;

namespace SpotOptimizer.Bench.Packing;

/// <summary>One seed's packing in one mode, and how it reads against the targets.</summary>
internal sealed record PackingRow(string Mode, bool OneType, int Seed, string MainType, int Pods, FreshPacking Ours, int LowerBound, FreshPacking Ffd, double CostBound, double MedianMs, double P99Ms)
{
    public void Report(ResultTable table, double nodesTarget, double msTarget)
    {
        var nodes = Ours.Nodes.Count;
        var ratio = (double)nodes / LowerBound;
        var types = string.Join(", ", Ours.Nodes.GroupBy(n => n.Offer.Type.Name).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()}× {g.Key}"));
        var unplaced = Ours.Unplaced.Count + Ffd.Unplaced.Count == 0 ? "" : $"; UNPLACED ours {Ours.Unplaced.Count}, FFD {Ffd.Unplaced.Count}";
        var notes = $"bound on {MainType}; FFD {Ffd.Nodes.Count} nodes ({ResultTable.F((double)Ffd.Nodes.Count / LowerBound, 3)}); {types}{unplaced}";
        if (OneType)
        {
            table.Add($"seed {Seed}, {Mode}: nodes / lower bound", $"{nodes} / {LowerBound} = {ResultTable.F(ratio, 3)}", $"≤ {nodesTarget:F2}", ratio <= nodesTarget && Ours.Unplaced.Count == 0, notes);
        }
        else
        {
            // A mixed fleet's node count has no bound that means anything (one type's bound counts its own nodes): its cost does.
            table.Add($"seed {Seed}, {Mode}: nodes (mixed types)", $"{nodes}", notes + (Ours.Unplaced.Count == 0 ? "" : " **MISS: pods left unplaced**"));
            if (Ours.Unplaced.Count > 0) table.Add($"seed {Seed}, {Mode}: every pod placed", $"{Ours.Unplaced.Count} unplaced", "0", false);
        }

        table.Add($"seed {Seed}, {Mode}: cost", $"${ResultTable.F(Ours.HourlyCost, 2)}/h", $"fractional bound ${ResultTable.F(CostBound, 2)}/h = {ResultTable.F(Ours.HourlyCost / CostBound, 3)} ×; FFD on {MainType} ${ResultTable.F(Ffd.HourlyCost, 2)}/h");
        table.Add($"seed {Seed}, {Mode}: time per packing of {Pods:N0} pods", $"p50 {ResultTable.F(MedianMs, 1)} / p99 {ResultTable.F(P99Ms, 1)} ms", $"p99 < {msTarget:F0} ms", P99Ms < msTarget);
    }
}

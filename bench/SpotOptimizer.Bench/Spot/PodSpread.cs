namespace SpotOptimizer.Bench.Spot;

/// <summary>
/// Where the workloads' pods run on a fleet, as Kubernetes' default scheduler spreads replicas over nodes
/// (its PodTopologySpread default on hostname): each replica of each workload in turn goes to the node holding the
/// fewest replicas of that workload, then the one with the most free slots, then the oldest. Recomputed from the fleet
/// at each reclaim: the steady state the scheduler converges to, not the history of pending pods.
/// </summary>
internal static class PodSpread
{
    /// <summary>Pods of each workload on each node of <paramref name="fleet"/> (same order); pods beyond the fleet's slots stay pending.</summary>
    public static int[][] Assign(IReadOnlyList<Node> fleet, IReadOnlyList<int> replicas)
    {
        var pods = new int[fleet.Count][];
        var free = new int[fleet.Count];
        for (var n = 0; n < fleet.Count; n++)
        {
            pods[n] = new int[replicas.Count];
            free[n] = fleet[n].Units;
        }

        for (var w = 0; w < replicas.Count; w++)
        {
            for (var r = 0; r < replicas[w]; r++)
            {
                var best = -1;
                for (var n = 0; n < fleet.Count; n++)
                {
                    if (free[n] == 0) continue;
                    if (best < 0 || pods[n][w] < pods[best][w] || (pods[n][w] == pods[best][w] && free[n] > free[best])) best = n;
                }

                if (best < 0) break;
                pods[best][w]++;
                free[best]--;
            }
        }

        return pods;
    }
}

namespace SpotOptimizer.Cloud.Simulation;

/// <summary>
/// GetSpotPlacementScores per zone (<see cref="SpotPlacementModel"/>): every zone of the account's region scored by its
/// zone ID, so two accounts naming one physical zone differently get the same score for it.
/// </summary>
public sealed partial class SimulatedCloud
{
    private Task<IReadOnlyList<SpotPlacementScore>> PlacementScoresAsync(CloudSession session, string region, PlacementScoreQuery query,
        CancellationToken cancellationToken) =>
        RunAs<IReadOnlyList<SpotPlacementScore>>(session, CloudActions.GetSpotPlacementScores, region,
            $"types={string.Join(',', query.InstanceTypes.Order(StringComparer.Ordinal))} capacity={query.TargetCapacity}", cancellationToken, scope =>
            {
                query.Validate();
                var types = query.InstanceTypes.Distinct(StringComparer.Ordinal).ToList();
                var reclaims = Reclaims(scope.World, region, scope.Now);
                var seed = _store.Seed;
                return scope.Region.AvailabilityZones
                    .Select(zone => SimulatedNetwork.ZoneId(scope.Account.AccountId, region, zone))
                    .Distinct(StringComparer.Ordinal)
                    .Select(zoneId => new SpotPlacementScore(zoneId, SpotPlacementModel.Score(seed, zoneId, types, query.TargetCapacity, scope.Now, reclaims)))
                    .OrderBy(s => s.AvailabilityZoneId, StringComparer.Ordinal)
                    .ToList();
            });

    /// <summary>Every account's reclaims in the region during the model's memory, by physical zone and type.</summary>
    private static Dictionary<(string ZoneId, string Type), (int Interruptions, int Rebalances)> Reclaims(SimulatedWorld world, string region, DateTimeOffset now)
    {
        var counts = new Dictionary<(string ZoneId, string Type), (int Interruptions, int Rebalances)>();
        foreach (var account in world.Accounts)
        {
            if (account.FindRegion(region) is not { } seen) continue;
            foreach (var notice in seen.Notices.Where(n => n.NoticeTime <= now && now - n.NoticeTime < SpotPlacementModel.Memory))
            {
                var key = (SimulatedNetwork.ZoneId(account.AccountId, region, notice.AvailabilityZone), notice.InstanceType);
                var (interruptions, rebalances) = counts.GetValueOrDefault(key);
                counts[key] = notice.Kind == InterruptionKind.Interruption ? (interruptions + 1, rebalances) : (interruptions, rebalances + 1);
            }
        }

        return counts;
    }
}

using SpotOptimizer.Cloud.Simulation;

namespace SpotOptimizer.Cloud.Tests.Simulation;

/// <summary>The simulator's GetSpotPlacementScores: one score per zone ID, fixed by the seed, lowered by the world's reclaims.</summary>
public sealed class SimulatedPlacementScoreTests
{
    private static readonly PlacementScoreQuery M5 = new(["m5.large", "m5.xlarge", "m5.2xlarge"], 4);

    [Fact]
    public async Task Scores_OnePerZoneId_WithinOneToTen()
    {
        var tenant = await SimulatedTenant.StartAsync();

        var scores = await tenant.Cloud.SpotMarket.GetPlacementScoresAsync(tenant.Session, SimulatedTenant.Region, M5);

        var zones = await tenant.Cloud.Ec2.DescribeAvailabilityZonesAsync(tenant.Session, SimulatedTenant.Region);
        Assert.Equal(zones.Select(z => z.ZoneId).Order(StringComparer.Ordinal), scores.Select(s => s.AvailabilityZoneId));
        Assert.All(scores, s => Assert.InRange(s.Score, 1, 10));
        Assert.Contains(tenant.Cloud.Calls, c => c.Operation == CloudActions.GetSpotPlacementScores && c.Outcome == CloudCall.Ok);
    }

    [Fact]
    public async Task Scores_SameSeedSameAnswer_OtherSeedsOrLaterStepsDiffer()
    {
        var first = await SimulatedTenant.StartAsync(seed: 11);
        var again = await SimulatedTenant.StartAsync(seed: 11);

        var scores = await first.Cloud.SpotMarket.GetPlacementScoresAsync(first.Session, SimulatedTenant.Region, M5);

        Assert.Equal(scores, await again.Cloud.SpotMarket.GetPlacementScoresAsync(again.Session, SimulatedTenant.Region, M5));
        // The market moves: across other seeds and later 6-hour steps some zone's score changes.
        var others = new List<IReadOnlyList<SpotPlacementScore>>();
        foreach (var seed in new[] { 12, 13, 14 })
        {
            var tenant = await SimulatedTenant.StartAsync(seed: seed);
            others.Add(await tenant.Cloud.SpotMarket.GetPlacementScoresAsync(tenant.Session, SimulatedTenant.Region, M5));
        }

        for (var step = 1; step <= 3; step++)
        {
            var later = await SimulatedTenant.StartAsync(seed: 11, now: first.Clock.GetUtcNow() + step * SpotPlacementModel.Step);
            others.Add(await later.Cloud.SpotMarket.GetPlacementScoresAsync(later.Session, SimulatedTenant.Region, M5));
        }

        Assert.Contains(others, o => !o.Select(s => s.Score).SequenceEqual(scores.Select(s => s.Score)));
    }

    [Fact]
    public async Task Scores_ReclaimsInAPool_LowerItsZoneOnly()
    {
        var tenant = await SimulatedTenant.StartAsync();
        var zone = tenant.Cloud.World.FindAccount(tenant.AccountId)!.FindRegion(SimulatedTenant.Region)!.AvailabilityZones[0];
        var zoneId = SimulatedNetwork.ZoneId(tenant.AccountId, SimulatedTenant.Region, zone);
        var before = await tenant.Cloud.SpotMarket.GetPlacementScoresAsync(tenant.Session, SimulatedTenant.Region, M5);

        // Reclaims older than a day are forgotten; those of the last day weigh.
        Reclaim(tenant, zone, M5.InstanceTypes, times: 10, at: tenant.Clock.GetUtcNow() - SpotPlacementModel.Memory - TimeSpan.FromMinutes(1));
        Assert.Equal(before, await tenant.Cloud.SpotMarket.GetPlacementScoresAsync(tenant.Session, SimulatedTenant.Region, M5));
        Reclaim(tenant, zone, M5.InstanceTypes, times: 10, at: tenant.Clock.GetUtcNow());
        var after = await tenant.Cloud.SpotMarket.GetPlacementScoresAsync(tenant.Session, SimulatedTenant.Region, M5);

        Assert.True(before.Single(s => s.AvailabilityZoneId == zoneId).Score > 1, "the zone starts above the lowest score");
        Assert.Equal(1, after.Single(s => s.AvailabilityZoneId == zoneId).Score);
        Assert.Equal(before.Where(s => s.AvailabilityZoneId != zoneId), after.Where(s => s.AvailabilityZoneId != zoneId));
    }

    [Fact]
    public async Task Scores_FewerThanThreeTypes_AlwaysLowAsAwsSays()
    {
        var tenant = await SimulatedTenant.StartAsync();

        var scores = await tenant.Cloud.SpotMarket.GetPlacementScoresAsync(tenant.Session, SimulatedTenant.Region, new PlacementScoreQuery(["m5.large", "m5.xlarge"], 1));

        Assert.NotEmpty(scores);
        Assert.All(scores, s => Assert.InRange(s.Score, 1, 3));
    }

    [Fact]
    public async Task Scores_BadQueryOrMissingPermission_ClearErrors()
    {
        var tenant = await SimulatedTenant.StartAsync(allowedActions: RequiredPermissions.Actions.Except([CloudActions.GetSpotPlacementScores]));

        var denied = await Assert.ThrowsAsync<CloudException>(() => tenant.Cloud.SpotMarket.GetPlacementScoresAsync(tenant.Session, SimulatedTenant.Region, M5));
        Assert.Equal(CloudErrorCodes.MissingPermission(CloudActions.GetSpotPlacementScores), denied.Code);

        var full = await SimulatedTenant.StartAsync();
        var invalid = await Assert.ThrowsAsync<CloudException>(() =>
            full.Cloud.SpotMarket.GetPlacementScoresAsync(full.Session, SimulatedTenant.Region, M5 with { TargetCapacity = 0 }));
        Assert.Equal(CloudErrorCodes.InvalidRequest, invalid.Code);
    }

    /// <summary>Interruption notices in the pools of <paramref name="types"/> in <paramref name="zone"/>, as AWS reclaiming them would leave.</summary>
    private static void Reclaim(SimulatedTenant tenant, string zone, IEnumerable<string> types, int times, DateTimeOffset at)
    {
        var now = at;
        var notices = types.SelectMany(type => Enumerable.Range(0, times).Select(i =>
            new InterruptionNotice($"i-reclaimed-{type}-{i}", type, zone, InterruptionKind.Interruption, now, now + SimulatedCloud.InterruptionWarning)));
        tenant.Cloud.Update(world => world.UpdateRegion(tenant.AccountId, SimulatedTenant.Region, r => r with { Notices = [.. r.Notices, .. notices] }));
    }
}

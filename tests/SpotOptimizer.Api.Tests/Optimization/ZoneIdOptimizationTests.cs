using SpotOptimizer.Cloud;
using SpotOptimizer.Cloud.Simulation;
using static SpotOptimizer.Api.Tests.Optimization.OptimizationJourney;

namespace SpotOptimizer.Api.Tests.Optimization;

/// <summary>
/// A newly linked account names its zones its own way and has fewer of them than the market quotes (AWS maps zone
/// names to physical zones per account). Its first optimization must place nodes only in its own zones, priced by
/// zone ID, and end succeeded — it used to pick a market zone the account lacks and end partial.
/// </summary>
public sealed class ZoneIdOptimizationTests
{
    private const string NewAccount = "610987654321";

    [Fact]
    public async Task NewAccount_FirstOptimize_TargetsOnlyItsOwnZones_AndSucceeds()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres: false, Settings());
        var (tenant, clusterId) = await ConnectedTenantAsync(app, NewAccount, "ops@new-account.io");
        var cloud = SimulatedCloudOf(app);
        var region = cloud.World.FindAccount(NewAccount)!.FindRegion("us-east-1")!;
        var marketZones = cloud.PublicZones("us-east-1");
        Assert.Contains(marketZones, z => !region.AvailabilityZones.Contains(z.ZoneName));

        int ZoneReads() => cloud.Calls.Count(c => c.Operation == CloudActions.DescribeAvailabilityZones && c.AccountId == NewAccount);
        var readAtDiscovery = ZoneReads();

        var job = await OptimizeAsync(tenant, clusterId);

        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        // Discovery read the account's zone IDs; the job took them from the cluster rather than asking AWS again.
        Assert.True(readAtDiscovery > 0);
        Assert.Equal(readAtDiscovery, ZoneReads());
        var replacements = Replacements(job).ToList();
        Assert.NotEmpty(replacements);
        var marketIds = marketZones.Select(z => z.ZoneId).ToHashSet(StringComparer.Ordinal);
        Assert.All(replacements, r =>
        {
            var zone = r.GetProperty("target_zone").GetString()!;
            Assert.Contains(zone, region.AvailabilityZones);
            Assert.Contains(SimulatedNetwork.ZoneId(NewAccount, "us-east-1", zone), marketIds);
            var added = cloud.World.FindAccount(NewAccount)!.FindRegion("us-east-1")!.Instances
                .Single(n => n.Instance.InstanceId == r.GetProperty("new_instance_id").GetString());
            Assert.Equal((InstanceLifecycle.Spot, zone), (added.Instance.Lifecycle, added.Instance.AvailabilityZone));
        });
    }
}

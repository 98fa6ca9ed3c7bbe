using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using SpotOptimizer.Api.Tests.Onboarding;
using SpotOptimizer.Cloud;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.Grains.Interfaces.Accounts;
using Orleans;
using static SpotOptimizer.Api.Tests.Optimization.OptimizationJourney;

namespace SpotOptimizer.Api.Tests.Optimization;

/// <summary>
/// The hive mind across tenants: tenant A's Spot node is interrupted; A's discovery reports it (AWS's own notice, so
/// corroborated); within a second every
/// tenant's view of the region has the pool flagged, and tenant B's next optimization no longer places a node there.
/// Pools are matched by zone ID: A's name for the zone need not be B's.
/// B learns the pool, never A's instance or organization.
/// </summary>
public abstract class HiveMindFlowTests(bool postgres)
{
    private const string AccountA = "555566667777";

    [SkippableFact]
    public async Task InterruptionSeenByOneTenant_ChangesAnotherTenantsNextPlacement()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres, Settings());
        var cloud = SimulatedCloudOf(app);
        var (b, bCluster) = await ConnectedTenantAsync(app, SimulatedWorld.DemoAccountId, "ops@tenant-b.io");
        using (var dryRun = await b.Http.PatchAsJsonAsync("/api/policies/dry-run", new { cluster_id = bCluster, enabled = true }, TenantClient.Json))
            Journey.AssertStatus(dryRun, System.Net.HttpStatusCode.OK);
        var before = await OptimizeAsync(b, bCluster);
        var first = Replacements(before).First();
        var (zone, type) = (first.GetProperty("target_zone").GetString()!, first.GetProperty("target_type").GetString()!);

        // Tenant A runs a Spot node in exactly the pool B's optimizer likes best: the same physical zone (zone ID), which
        // A's account names its own way, as AWS maps zone names per account.
        var aCluster = cloud.AddDemoCluster(AccountA, "us-east-1", "tenant-a");
        string[] six = ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"];
        cloud.Update(world => world.UpdateRegion(AccountA, "us-east-1", r => r with { AvailabilityZones = six }));
        var zoneId = SimulatedNetwork.ZoneId(SimulatedWorld.DemoAccountId, "us-east-1", zone);
        var aZone = six.Single(z => SimulatedNetwork.ZoneId(AccountA, "us-east-1", z) == zoneId);
        var spot = new SimulatedNode(new Ec2Instance("i-0a11ce0000000001", type, aZone, InstanceLifecycle.Spot, InstanceState.Running,
            DateTimeOffset.UtcNow - TimeSpan.FromHours(3), "ip-10-0-0-9.ec2.internal",
            new Dictionary<string, string> { [Ec2Instance.ClusterNameTag] = aCluster.Cluster.Name }), 4);
        cloud.AddInstance(AccountA, "us-east-1", spot);
        var a = await TenantClient.SignUpAsync(app, "ops@tenant-a.io");
        var aAccount = await Journey.LinkAccountAsync(a, AccountA);

        cloud.InterruptSpotInstance(AccountA, "us-east-1", spot.Instance.InstanceId);
        // No waiting between the two calls: the flag is raised before the report returns, so B sees it at once.
        await app.Services.GetRequiredService<IGrainFactory>().GetGrain<IAccountGrain>(aAccount).Discover();
        var flags = await b.GetJsonAsync("/api/spot/regions/us-east-1/flags");

        var flag = Assert.Single(flags.GetProperty("flags").EnumerateArray());
        Assert.Equal((zone, type), (flag.GetProperty("availability_zone").GetString(), flag.GetProperty("instance_type").GetString()));
        // A's discovery read the notice from EC2 itself: AWS's word, so one tenant's report flags the pool for everyone.
        Assert.Equal("discovery_notice", flag.GetProperty("reason").GetString());
        Assert.DoesNotContain(a.OrganizationId, flags.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(spot.Instance.InstanceId, flags.GetRawText(), StringComparison.Ordinal);

        var after = await OptimizeAsync(b, bCluster);
        Assert.Equal(1, after.GetProperty("plan").GetProperty("flagged_pools").GetInt32());
        Assert.DoesNotContain(Replacements(after), r => r.GetProperty("target_zone").GetString() == zone && r.GetProperty("target_type").GetString() == type);
        Assert.NotEmpty(Replacements(after));
        Assert.Contains("spot.interruption_observed", await Journey.ActivityActionsAsync(a));
        Assert.DoesNotContain("spot.interruption_observed", await Journey.ActivityActionsAsync(b));
    }
}

public sealed class SqliteHiveMindFlowTests() : HiveMindFlowTests(postgres: false);

public sealed class PostgresHiveMindFlowTests() : HiveMindFlowTests(postgres: true);

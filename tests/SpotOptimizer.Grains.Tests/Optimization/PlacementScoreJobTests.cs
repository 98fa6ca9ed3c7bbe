using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SpotOptimizer.Cloud;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.Grains.Interfaces.Clusters;
using SpotOptimizer.Grains.Interfaces.Optimization;
using SpotOptimizer.Grains.Market;
using SpotOptimizer.Tenancy;
using SpotOptimizer.Testing;
using Xunit.Abstractions;

namespace SpotOptimizer.Grains.Tests.Optimization;

/// <summary>
/// Spot placement scores in the optimize job, on the simulator. The same world at the same instant is planned twice,
/// in two silos: once by a role without <c>ec2:GetSpotPlacementScores</c> (no scores: the job still succeeds, with a
/// note), once by a full role after another account saw every pool of the first plan's target zone reclaimed (the
/// simulator scores that zone 1). The second plan moves the node elsewhere or records the raised risk. SAFE_MODE is on:
/// the scores are a read, asked all the same.
/// </summary>
public sealed class PlacementScoreJobTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Region = SimulatedWorld.DemoRegion;
    private const string OtherAccount = "444455556666";
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 11, 2, 10, 0, 0, TimeSpan.Zero));
    private readonly StorageKind _storage = new StorageKind.Sqlite();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    [Fact]
    public async Task ALowScoreInTheTargetZone_RaisesTheRiskTheJobRecordsOrMovesTheNode_AndARoleWithoutTheActionStillOptimizes()
    {
        JobPlanView unscored;
        await using (var silo = await StartAsync())
        {
            var tenant = await DemoCluster.LinkAsync(silo, connect: true);
            var cloud = silo.Services.GetRequiredService<SimulatedCloud>();
            var externalId = cloud.World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRole(SimulatedCloud.DefaultRoleName)!.ExternalId;
            cloud.DeployCustomerStack(SimulatedWorld.DemoAccountId, externalId, allowedActions: RequiredPermissions.Actions.Except([CloudActions.GetSpotPlacementScores]));

            unscored = await PlanAsync(silo, tenant);

            Assert.Contains(unscored.Notes, n => n.Contains("[PLACEMENT]", StringComparison.Ordinal) && n.Contains("lacks ec2:GetSpotPlacementScores", StringComparison.Ordinal));
            Assert.DoesNotContain(unscored.Notes, n => n.Contains("[PLACEMENT] risk of", StringComparison.Ordinal));
            Assert.Contains(cloud.Calls, c => c.Operation == CloudActions.GetSpotPlacementScores && c.Outcome == CloudErrorCodes.MissingPermission(CloudActions.GetSpotPlacementScores));
            var planned = await PlannedAsync(silo, tenant);
            Assert.Equal(0, planned.GetProperty("placement_scored_pools").GetInt32());
            Assert.Contains(planned.GetProperty("placement_notes").EnumerateArray(), n => n.GetString()!.Contains("lacks ec2:GetSpotPlacementScores", StringComparison.Ordinal));
        }

        var moved = unscored.Replacements.First(r => r.TargetPurchase == "spot");
        await using (var silo = await StartAsync())
        {
            var tenant = await DemoCluster.LinkAsync(silo, connect: true);
            var cloud = silo.Services.GetRequiredService<SimulatedCloud>();
            Reclaim(cloud, SimulatedNetwork.ZoneId(SimulatedWorld.DemoAccountId, Region, moved.TargetZone), times: 12);

            var scored = await PlanAsync(silo, tenant);
            var again = await PlanAsync(silo, tenant);

            var node = scored.Replacements.Single(r => r.InstanceId == moved.InstanceId);
            output.WriteLine($"{moved.InstanceId}: unscored {moved.TargetType}@{moved.TargetZone} risk {moved.TargetRisk}; scored {node.TargetType}@{node.TargetZone} risk {node.TargetRisk}");
            output.WriteLine($"into {moved.TargetZone}: {unscored.Replacements.Count(r => r.TargetZone == moved.TargetZone)} of {unscored.Replacements.Count} unscored, {scored.Replacements.Count(r => r.TargetZone == moved.TargetZone)} of {scored.Replacements.Count} scored");
            foreach (var note in scored.Notes) output.WriteLine(note);
            Assert.Contains(scored.Notes, n => n.Contains("[PLACEMENT] risk of", StringComparison.Ordinal));
            Assert.Equal(unscored.FlaggedPools, scored.FlaggedPools);
            Assert.True(node.TargetZone != moved.TargetZone || node.TargetRisk > moved.TargetRisk,
                $"{moved.InstanceId}: unscored {moved.TargetType}@{moved.TargetZone} risk {moved.TargetRisk}; scored {node.TargetType}@{node.TargetZone} risk {node.TargetRisk}");
            if ((node.TargetZone, node.TargetType) == (moved.TargetZone, moved.TargetType))
            {
                // Kept in the crunched pool: what the job recorded is the model's risk under score 1's hazard lift (risks are kept to 3 decimals).
                var lift = global::SpotOptimizer.Optimization.Risk.PlacementScorePolicy.Default;
                Assert.InRange(node.TargetRisk, lift.Apply(moved.TargetRisk - 0.0005, 1) - 0.0005, lift.Apply(moved.TargetRisk + 0.0005, 1) + 0.0005);
            }

            Assert.True(scored.Replacements.Count(r => r.TargetZone == moved.TargetZone) <= unscored.Replacements.Count(r => r.TargetZone == moved.TargetZone));
            // The second job within the hour is served from the cache: AWS is asked each configuration once.
            Assert.Equal(Decisions(scored), Decisions(again));
            var asked = cloud.Calls.Where(c => c.Operation == CloudActions.GetSpotPlacementScores).ToList();
            Assert.NotEmpty(asked);
            output.WriteLine($"GetSpotPlacementScores calls for two jobs: {asked.Count} ({string.Join("; ", asked.Select(c => c.Arguments))})");
            Assert.All(asked, c => Assert.Equal(CloudCall.Ok, c.Outcome));
            Assert.Equal(asked.Count, asked.Select(c => c.Arguments).Distinct().Count());
            Assert.Equal(asked.Count, silo.Services.GetRequiredService<PlacementScoreReader>().CloudReads);
            // The ledger's planned entry carries the decision's note, as the job's record does.
            var planned = await PlannedAsync(silo, tenant);
            Assert.True(planned.GetProperty("placement_scored_pools").GetInt32() > 0);
            Assert.Contains(planned.GetProperty("placement_notes").EnumerateArray(), n => n.GetString()!.Contains("[PLACEMENT] risk of", StringComparison.Ordinal));
        }
    }

    /// <summary>Another account in the region saw every catalog pool of the zone (by ID) reclaimed <paramref name="times"/> times just now.</summary>
    private void Reclaim(SimulatedCloud cloud, string zoneId, int times)
    {
        var zone = Enumerable.Range('a', 6).Select(c => $"{Region}{(char)c}").First(z => SimulatedNetwork.ZoneId(OtherAccount, Region, z) == zoneId);
        var now = _clock.GetUtcNow();
        var notices = InstanceCatalog.Types.SelectMany(type => Enumerable.Range(0, times).Select(i =>
            new InterruptionNotice($"i-other-{type.Name}-{i}", type.Name, zone, InterruptionKind.Interruption, now, now + SimulatedCloud.InterruptionWarning))).ToList();
        cloud.Update(world => world.UpdateRegion(OtherAccount, Region, r => r with { Notices = [.. r.Notices, .. notices] }));
    }

    private async Task<TestSilo> StartAsync() =>
        await TestSilo.StartAsync(await _storage.CreateAsync(), _clock, services => services
            .AddSimulatedCloud(7, o => o.BootTime = TimeSpan.Zero).AddGrainServices().AddSimulatedMarketFeed()
            .Configure<SafetyOptions>(o => o.SafeMode = true));

    private static async Task<JobPlanView> PlanAsync(TestSilo silo, DemoCluster tenant)
    {
        var started = await silo.Grains.GetGrain<IClusterGrain>(tenant.Cluster.ClusterId).StartOptimization(tenant.OrganizationId, "user:test", JobTriggers.Manual);
        var job = await Eventually.Wait(() => silo.Grains.GetGrain<IOptimizationJobGrain>(started!.Started!.JobId).Get(tenant.OrganizationId),
            j => JobStatus.IsFinished(j!.Status), TimeSpan.FromSeconds(60), "the optimize job to finish");
        Assert.Equal(JobStatus.Succeeded, job!.Status);
        return job.Plan!;
    }

    private static async Task<JsonElement> PlannedAsync(TestSilo silo, DemoCluster tenant)
    {
        var ledger = await silo.Services.GetRequiredService<AuditQueries>().ListRecentAsync(tenant.OrganizationId, 200, default);
        return JsonDocument.Parse(ledger.First(e => e.Action == "optimization.planned").After!).RootElement;
    }

    private static List<string> Decisions(JobPlanView plan) =>
        [.. plan.Replacements.Select(r => $"{r.InstanceId}→{r.TargetPurchase}:{r.TargetZone}/{r.TargetType}@{r.TargetRisk}"), .. plan.Blocked.Select(x => $"{x.InstanceId}:{x.Code}")];
}

using System.Net;
using SpotOptimizer.Api.Tests.Onboarding;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.Grains.Interfaces.Clusters;
using SpotOptimizer.Grains.Interfaces.Market;
using Orleans;
using static SpotOptimizer.Api.Tests.Optimization.OptimizationJourney;

namespace SpotOptimizer.Api.Tests.Insights;

/// <summary>Declaring, listing and removing commitments (audited), their export and erasure, and the optimizer leaving covered nodes alone.</summary>
public abstract class CommitmentsApiTests(bool postgres)
{
    private static readonly object ComputePlan = new
    {
        kind = "compute_savings_plan", hourly_commitment = 1.25, discount_percent = 28, starts_at = "2026-01-01T00:00:00Z", ends_at = "2027-01-01T00:00:00Z",
    };

    [SkippableFact]
    public async Task Commitments_DeclareListRemove_AuditedAndTenantScoped()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres);
        var tenant = await TenantClient.SignUpAsync(app, "ops@commit.io");
        var other = await TenantClient.SignUpAsync(app, "ops@other.io");

        var ri = await tenant.PostJsonAsync("/api/commitments", new
        {
            kind = "reserved_instance", instance_type = "m5.xlarge", region = "us-east-1", zone = "us-east-1a", instance_count = 3, hourly_rate = 0.12,
            starts_at = "2026-01-01T00:00:00Z", ends_at = "2029-01-01T00:00:00Z",
        }, HttpStatusCode.Created);
        var plan = await tenant.PostJsonAsync("/api/commitments", ComputePlan, HttpStatusCode.Created);

        var listed = (await tenant.GetJsonAsync("/api/commitments")).GetProperty("commitments").EnumerateArray().ToList();
        Assert.Equal([ri.GetProperty("id").GetString(), plan.GetProperty("id").GetString()], listed.Select(c => c.GetProperty("id").GetString()));
        Assert.Equal(3, listed[0].GetProperty("instance_count").GetInt32());
        Assert.Equal(1.25, listed[1].GetProperty("hourly_commitment").GetDouble());
        Assert.Empty((await other.GetJsonAsync("/api/commitments")).GetProperty("commitments").EnumerateArray());
        using (var foreign = await other.Http.DeleteAsync($"/api/commitments/{plan.GetProperty("id").GetString()}"))
            await Sweeps.ProblemAssert.IsAsync(foreign, HttpStatusCode.NotFound, "not_found");

        using (var removed = await tenant.Http.DeleteAsync($"/api/commitments/{plan.GetProperty("id").GetString()}"))
            Journey.AssertStatus(removed, HttpStatusCode.NoContent);
        Assert.Single((await tenant.GetJsonAsync("/api/commitments")).GetProperty("commitments").EnumerateArray());
        var actions = await Journey.ActivityActionsAsync(tenant);
        Assert.Equal(2, actions.Count(a => a == "commitment.declared"));
        Assert.Single(actions, a => a == "commitment.removed");
    }

    [SkippableFact]
    public async Task Commitments_InTheExport_AndGoneWithTheOrganization()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres);
        var tenant = await TenantClient.SignUpAsync(app, "ops@leaving.io");
        var id = (await tenant.PostJsonAsync("/api/commitments", ComputePlan, HttpStatusCode.Created)).GetProperty("id").GetString();

        var export = await tenant.GetJsonAsync("/api/organization/export");
        Assert.Equal(id, Assert.Single(export.GetProperty("commitments").EnumerateArray()).GetProperty("id").GetString());

        var name = export.GetProperty("organization").GetProperty("name").GetString();
        using var request = new HttpRequestMessage(HttpMethod.Delete, "/api/organization") { Content = Sweeps.ProblemAssert.Json($$"""{"confirm":"{{name}}"}""") };
        using (var deleted = await tenant.Http.SendAsync(request)) Journey.AssertStatus(deleted, HttpStatusCode.OK);
        var store = app.Services.GetRequiredService<SpotOptimizer.Tenancy.CommitmentStore>();
        Assert.Empty(await store.ListAsync(tenant.OrganizationId, CancellationToken.None));
    }

    [SkippableFact]
    public async Task Optimize_NodeCoveredBySavingsPlan_LeftAloneWhileAnUncoveredOneIsReplaced()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres, Settings(("Optimizer:DisruptionBudgetPercent", "100"), ("Optimizer:MinOnDemandNodes", "0")));
        var (tenant, clusterId) = await ConnectedTenantAsync(app, SimulatedWorld.DemoAccountId, "ops@covered.io");
        var grains = app.Services.GetRequiredService<IGrainFactory>();
        var onDemand = (await grains.GetGrain<IClusterGrain>(clusterId).GetNodes(tenant.OrganizationId))!
            .Where(n => n.Lifecycle != "spot").OrderBy(n => n.InstanceId, StringComparer.Ordinal).ToList();
        Assert.True(onDemand.Count >= 2, "the demo cluster has On-Demand nodes to move");
        var market = await grains.GetGrain<IMarketGrain>("us-east-1").GetSnapshot() ?? throw new InvalidOperationException("no market");
        var first = onDemand[0];
        // A Compute Savings Plan at 30 % off committing exactly the first node's discounted hour: it pays for that node and nothing else.
        var price = market.OnDemand.Single(o => o.InstanceType == first.InstanceType).PricePerHour;
        await tenant.PostJsonAsync("/api/commitments", new
        {
            kind = "compute_savings_plan", hourly_commitment = price * 0.7, discount_percent = 30,
            starts_at = DateTimeOffset.UtcNow.AddDays(-1), ends_at = DateTimeOffset.UtcNow.AddYears(1),
        }, HttpStatusCode.Created);

        var job = await OptimizeAsync(tenant, clusterId);

        var blocked = job.GetProperty("plan").GetProperty("blocked").EnumerateArray().ToList();
        var covered = Assert.Single(blocked, b => b.GetProperty("code").GetString() == "covered_by_commitment");
        Assert.Equal(first.InstanceId, covered.GetProperty("instance_id").GetString());
        var replaced = Replacements(job).Select(r => r.GetProperty("instance_id").GetString()).ToList();
        Assert.DoesNotContain(first.InstanceId, replaced);
        Assert.NotEmpty(replaced);
        Assert.All(replaced, id => Assert.Contains(id, onDemand.Skip(1).Select(n => n.InstanceId)));
    }
}

public sealed class SqliteCommitmentsApiTests() : CommitmentsApiTests(postgres: false);

public sealed class PostgresCommitmentsApiTests() : CommitmentsApiTests(postgres: true);

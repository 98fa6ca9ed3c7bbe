using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using SpotOptimizer.Api.Tests.Onboarding;
using SpotOptimizer.Api.Tests.Sweeps;
using SpotOptimizer.Cloud;
using SpotOptimizer.Cloud.Simulation;
using static SpotOptimizer.Api.Tests.Optimization.OptimizationJourney;

namespace SpotOptimizer.Api.Tests.Optimization;

/// <summary>
/// The agent's fast path into the hive mind: a notice on one of its cluster's Spot nodes is a claim. Alone it flags the
/// pool for the reporting tenant's own decisions, never another tenant's; a node it does not run as Spot is refused
/// (422 unknown_instance, audited); past the tenant's allowance in the region it is refused with 429 and Retry-After.
/// </summary>
public sealed class AgentInterruptionTests
{
    [Fact]
    public async Task AgentReportsANoticeOnItsSpotNode_PoolIsFlaggedForItsOwnTenantOnly()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres: false, Settings());
        var tenant = await TenantClient.SignUpAsync(app, "ops@agent-report.io");
        var accountId = await Journey.LinkAccountAsync(tenant, SimulatedWorld.DemoAccountId);
        var (_, token, _) = await Journey.ConnectFirstClusterAsync(tenant, accountId);
        var name = (await tenant.GetJsonAsync("/api/client/clusters")).GetProperty("clusters").EnumerateArray().Single().GetProperty("name").GetString()!;
        var nodes = SimulatedCloudOf(app).World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion("us-east-1")!.NodesOf(name).Where(n => n.TerminatedAt is null).ToList();
        var spot = nodes.First(n => n.Instance.Lifecycle == InstanceLifecycle.Spot).Instance;
        var onDemand = nodes.First(n => n.Instance.Lifecycle == InstanceLifecycle.OnDemand).Instance;
        using var agent = app.CreateClient();
        agent.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var reported = await TenantClient.ExpectAsync(
            await agent.PostAsJsonAsync("/api/agent/interruptions", new { instance_id = spot.InstanceId, kind = "rebalance_recommendation" }), HttpStatusCode.OK);

        Assert.Equal($"us-east-1/{spot.AvailabilityZone}/{spot.InstanceType}", reported.GetProperty("pool").GetString());
        Assert.True(reported.GetProperty("flagged_until").GetDateTimeOffset() > DateTimeOffset.UtcNow);
        Assert.Equal(("reporter", "own_report"), (reported.GetProperty("flagged_for").GetString(), reported.GetProperty("flag_reason").GetString()));
        var mine = await tenant.GetJsonAsync("/api/spot/regions/us-east-1/flags");
        Assert.Empty(mine.GetProperty("flags").EnumerateArray());
        var own = Assert.Single(mine.GetProperty("own_flags").EnumerateArray());
        Assert.Equal((spot.InstanceType, "own_report"), (own.GetProperty("instance_type").GetString(), own.GetProperty("reason").GetString()));
        var other = await TenantClient.SignUpAsync(app, "ops@someone-else.io");
        var theirs = await other.GetJsonAsync("/api/spot/regions/us-east-1/flags");
        Assert.Empty(theirs.GetProperty("flags").EnumerateArray());
        Assert.Empty(theirs.GetProperty("own_flags").EnumerateArray());
        Assert.Contains("spot.interruption_reported", await Journey.ActivityActionsAsync(tenant));

        await ProblemAssert.IsAsync(await agent.PostAsJsonAsync("/api/agent/interruptions", new { instance_id = onDemand.InstanceId, kind = "interruption" }),
            HttpStatusCode.UnprocessableEntity, "unknown_instance");
        Assert.Contains("spot.interruption_refused", await Journey.ActivityActionsAsync(tenant));
        await ProblemAssert.IsAsync(await agent.PostAsJsonAsync("/api/agent/interruptions",
            new { instance_id = spot.InstanceId, kind = "interruption", notice_time = DateTimeOffset.UtcNow.AddHours(1) }), HttpStatusCode.BadRequest, "notice_in_future");
        using var stranger = app.CreateClient();
        stranger.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token[..^4] + "AAAA");
        await ProblemAssert.IsAsync(await stranger.PostAsJsonAsync("/api/agent/interruptions", new { instance_id = spot.InstanceId, kind = "interruption" }),
            HttpStatusCode.Unauthorized, "invalid_agent_token");
        Assert.Empty((await other.GetJsonAsync("/api/spot/regions/us-east-1/flags")).GetProperty("flags").EnumerateArray());
    }

    [Fact]
    public async Task AgentOverItsAllowance_429WithRetryAfter_AndTheRefusedReportFlagsNothing()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres: false, Settings(("Market:AgentReportLimit", "2"), ("Market:AgentReportWindow", "00:10:00")));
        var tenant = await TenantClient.SignUpAsync(app, "ops@agent-flood.io");
        var accountId = await Journey.LinkAccountAsync(tenant, SimulatedWorld.DemoAccountId);
        var (_, token, _) = await Journey.ConnectFirstClusterAsync(tenant, accountId);
        var name = (await tenant.GetJsonAsync("/api/client/clusters")).GetProperty("clusters").EnumerateArray().Single().GetProperty("name").GetString()!;
        var spot = SimulatedCloudOf(app).World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion("us-east-1")!.NodesOf(name)
            .Where(n => n.TerminatedAt is null && n.Instance.Lifecycle == InstanceLifecycle.Spot).Select(n => n.Instance).ToList();
        Assert.True(spot.Count >= 2, $"the demo cluster has {spot.Count} Spot nodes");
        using var agent = app.CreateClient();
        agent.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        // Two reports fit (one on a node the cluster does not run still uses the allowance); the third is over it.
        await TenantClient.ExpectAsync(await agent.PostAsJsonAsync("/api/agent/interruptions", new { instance_id = spot[0].InstanceId, kind = "interruption" }), HttpStatusCode.OK);
        await ProblemAssert.IsAsync(await agent.PostAsJsonAsync("/api/agent/interruptions", new { instance_id = "i-0fffffffffffffff0", kind = "interruption" }),
            HttpStatusCode.UnprocessableEntity, "unknown_instance");
        using var refused = await agent.PostAsJsonAsync("/api/agent/interruptions", new { instance_id = spot[1].InstanceId, kind = "interruption" });
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        await ProblemAssert.IsAsync(refused, HttpStatusCode.TooManyRequests, "rate_limited");
        using var again = await agent.PostAsJsonAsync("/api/agent/interruptions", new { instance_id = spot[1].InstanceId, kind = "interruption" });
        Assert.Equal(HttpStatusCode.TooManyRequests, again.StatusCode);

        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
        var own = (await tenant.GetJsonAsync("/api/spot/regions/us-east-1/flags")).GetProperty("own_flags").EnumerateArray()
            .Select(f => (f.GetProperty("availability_zone").GetString(), f.GetProperty("instance_type").GetString())).ToList();
        Assert.Equal([(spot[0].AvailabilityZone, spot[0].InstanceType)], own.Distinct());
        // Refusals over the allowance are audited once per spell, not once per report.
        var actions = await Journey.ActivityActionsAsync(tenant);
        Assert.Equal(2, actions.Count(a => a == "spot.interruption_refused"));
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using SpotOptimizer.Api.Tests.Onboarding;
using SpotOptimizer.Api.Tests.Sweeps;
using SpotOptimizer.Cloud;
using SpotOptimizer.Cloud.Simulation;
using static SpotOptimizer.Api.Tests.Optimization.OptimizationJourney;

namespace SpotOptimizer.Api.Tests.Optimization;

/// <summary>The agent's fast path into the hive mind: a notice on one of its cluster's Spot nodes flags the pool for everyone.</summary>
public sealed class AgentInterruptionTests
{
    [Fact]
    public async Task AgentReportsANoticeOnItsSpotNode_PoolIsFlaggedForOtherTenants()
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
        var other = await TenantClient.SignUpAsync(app, "ops@someone-else.io");
        var flag = Assert.Single((await other.GetJsonAsync("/api/spot/regions/us-east-1/flags")).GetProperty("flags").EnumerateArray());
        Assert.Equal(spot.InstanceType, flag.GetProperty("instance_type").GetString());
        Assert.Contains("spot.interruption_reported", await Journey.ActivityActionsAsync(tenant));

        await ProblemAssert.IsAsync(await agent.PostAsJsonAsync("/api/agent/interruptions", new { instance_id = onDemand.InstanceId, kind = "interruption" }),
            HttpStatusCode.UnprocessableEntity, "unknown_instance");
        await ProblemAssert.IsAsync(await agent.PostAsJsonAsync("/api/agent/interruptions",
            new { instance_id = spot.InstanceId, kind = "interruption", notice_time = DateTimeOffset.UtcNow.AddHours(1) }), HttpStatusCode.BadRequest, "notice_in_future");
        using var stranger = app.CreateClient();
        stranger.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token[..^4] + "AAAA");
        await ProblemAssert.IsAsync(await stranger.PostAsJsonAsync("/api/agent/interruptions", new { instance_id = spot.InstanceId, kind = "interruption" }),
            HttpStatusCode.Unauthorized, "invalid_agent_token");
        Assert.Single((await other.GetJsonAsync("/api/spot/regions/us-east-1/flags")).GetProperty("flags").EnumerateArray());
    }
}

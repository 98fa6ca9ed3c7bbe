using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using SpotOptimizer.Agent.Commands;
using SpotOptimizer.Agent.Reporting;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Agent.Tests.Commands;

/// <summary>
/// The command loop against a stand-in platform on a manual clock: safe mode after the platform has been down for
/// Agent:SafeModeAfter (NodePools on On-Demand, disruptive commands refused), its report once the platform is back, the
/// platform's leave_safe_mode restoring the NodePools; a revoked token stops commands without safe mode; a command
/// handed out twice runs once.
/// </summary>
public sealed class SafeModeTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task PlatformDownPastSafeModeAfter_OnDemandAndRefusals_ReportedWhenBack_LeftOnCommand()
    {
        var clock = new ManualTimeProvider();
        await using var h = await CommandHarness.StartAsync(time: clock);
        h.Platform.Answer = 503;

        await Assert.ThrowsAsync<PlatformRefusal>(() => h.Poller.PollOnceAsync(None));
        clock.Advance(TimeSpan.FromMinutes(4));
        await Assert.ThrowsAsync<PlatformRefusal>(() => h.Poller.PollOnceAsync(None));
        Assert.False(h.SafeMode.Active);
        Assert.Equal([["spot", "on-demand"], ["on-demand"]], await CapacityTypesAsync(h));

        clock.Advance(TimeSpan.FromMinutes(2));
        await Assert.ThrowsAsync<PlatformRefusal>(() => h.Poller.PollOnceAsync(None));
        Assert.True(h.SafeMode.Active);
        Assert.Equal([["on-demand"], ["on-demand"]], await CapacityTypesAsync(h));
        var general = (await h.NodePools.ListAsync(None))[0];
        Assert.Equal("""["spot","on-demand"]""", general["metadata"]!["annotations"]![NodePoolPolicy.OriginalAnnotation]!.GetValue<string>());

        var refused = h.Platform.Issue("drain", "node-a");
        h.Platform.Answer = 200;
        Assert.True(await h.Poller.PollOnceAsync(None));

        var entered = Assert.Single(h.Platform.SafeModeReports);
        Assert.Equal(("entered", "platform_unreachable", 360), (entered.GetProperty("state").GetString(), entered.GetProperty("reason").GetString(), entered.GetProperty("unreachable_seconds").GetInt32()));
        Assert.Equal(["disruptive_commands_refused", "nodepool_on_demand:general", "nodepool_on_demand:steady"],
            entered.GetProperty("actions").EnumerateArray().Select(a => a.GetString()!));
        Assert.Equal(("failed", "safe_mode"), Outcome(h.Platform.ResultOf(refused)));
        Assert.NotEqual(true, (await h.NodeAsync("node-a")).Spec.Unschedulable);

        var leave = h.Platform.Issue("leave_safe_mode");
        Assert.True(await h.Poller.PollOnceAsync(None));

        Assert.False(h.SafeMode.Active);
        Assert.Equal(("succeeded", null), Outcome(h.Platform.ResultOf(leave)));
        Assert.Equal("left", h.Platform.SafeModeReports.Last().GetProperty("state").GetString());
        Assert.Equal([["spot", "on-demand"], ["on-demand"]], await CapacityTypesAsync(h));
        Assert.Null((await h.NodePools.ListAsync(None))[0]["metadata"]!["annotations"]?[NodePoolPolicy.OriginalAnnotation]);
        var drain = h.Platform.Issue("drain", "node-a");
        Assert.True(await h.Poller.PollOnceAsync(None));
        Assert.Equal(("succeeded", null), Outcome(h.Platform.ResultOf(drain)));
    }

    [Fact]
    public async Task SafeModeOnDemandOff_NodePoolsLeftAlone_DrainStillRefused()
    {
        var clock = new ManualTimeProvider();
        await using var h = await CommandHarness.StartAsync(new AgentOptions { SafeModeOnDemand = false, SafeModeAfter = TimeSpan.FromMinutes(1), CommandWait = TimeSpan.Zero }, clock);
        h.Platform.Answer = 503;

        await Assert.ThrowsAsync<PlatformRefusal>(() => h.Poller.PollOnceAsync(None));
        clock.Advance(TimeSpan.FromMinutes(2));
        await Assert.ThrowsAsync<PlatformRefusal>(() => h.Poller.PollOnceAsync(None));
        var drain = await h.Runner.ExecuteAsync(CommandExecutionTests.Command("drain", "node-a"), None);
        var uncordon = await h.Runner.ExecuteAsync(CommandExecutionTests.Command("uncordon", "node-a"), None);

        Assert.True(h.SafeMode.Active);
        Assert.Equal([["spot", "on-demand"], ["on-demand"]], await CapacityTypesAsync(h));
        Assert.Equal(("failed", ResultCodes.SafeMode), (drain.Status, drain.Code));
        Assert.Equal("succeeded", uncordon.Status);
    }

    [Fact]
    public async Task TokenRevoked_CommandsStop_NoSafeMode()
    {
        var clock = new ManualTimeProvider();
        await using var h = await CommandHarness.StartAsync(time: clock);
        h.Platform.Issue("cordon", "node-a");
        h.Platform.Answer = 401;

        Assert.False(await h.Poller.PollOnceAsync(None));
        clock.Advance(TimeSpan.FromMinutes(30));
        Assert.False(await h.Poller.PollOnceAsync(None));

        Assert.False(h.SafeMode.Active);
        Assert.True(h.Reachability.Revoked);
        Assert.Equal(0, h.Runner.Executions);
        Assert.Equal([["spot", "on-demand"], ["on-demand"]], await CapacityTypesAsync(h));
        Assert.NotEqual(true, (await h.NodeAsync("node-a")).Spec.Unschedulable);
    }

    [Fact]
    public async Task SameIdHandedOutAgain_RunsOnce_StoredResultPostedAgain()
    {
        await using var h = await CommandHarness.StartAsync();
        var id = h.Platform.Issue("cordon", "node-b");
        Assert.True(await h.Poller.PollOnceAsync(None));
        // Someone uncordons the node; a second run of the command would cordon it again.
        await h.Client.CoreV1.PatchNodeAsync(new V1Patch("""{"spec":{"unschedulable":null}}""", V1Patch.PatchType.MergePatch), "node-b");

        h.Platform.Issue("cordon", "node-b", id: id);
        Assert.True(await h.Poller.PollOnceAsync(None));

        Assert.Equal(1, h.Runner.Executions);
        var posts = h.Platform.PostedResults.Where(r => r.Id == id).Select(r => r.Body.GetRawText()).ToList();
        Assert.Equal(2, posts.Count);
        Assert.Equal(posts[0], posts[1]);
        Assert.NotEqual(true, (await h.NodeAsync("node-b")).Spec.Unschedulable);
    }

    [Fact]
    public async Task RestartedWhileInSafeMode_AnnotatedNodePools_SafeModeResumedUntilLeft()
    {
        await using var h = await CommandHarness.StartAsync();
        // What an earlier agent process left behind: the general pool on On-Demand, its own capacity types annotated.
        var leftOver = new JsonObject
        {
            ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [NodePoolPolicy.OriginalAnnotation] = """["spot","on-demand"]""" } },
            ["spec"] = JsonNode.Parse("""{"template":{"spec":{"requirements":[{"key":"karpenter.sh/capacity-type","operator":"In","values":["on-demand"]}]}}}"""),
        };
        await h.Client.CustomObjects.PatchClusterCustomObjectAsync(new V1Patch(leftOver.ToJsonString(), V1Patch.PatchType.MergePatch), "karpenter.sh", "v1", "nodepools", "general");
        var drain = h.Platform.Issue("drain", "node-a");

        Assert.True(await h.Poller.PollOnceAsync(None));
        var resumed = Assert.Single(h.Platform.SafeModeReports);
        Assert.Equal(["resumed_after_restart", "nodepool_on_demand:general"], resumed.GetProperty("actions").EnumerateArray().Select(a => a.GetString()!));
        Assert.Equal(("failed", "safe_mode"), Outcome(h.Platform.ResultOf(drain)));

        h.Platform.Issue("leave_safe_mode");
        Assert.True(await h.Poller.PollOnceAsync(None));

        Assert.False(h.SafeMode.Active);
        Assert.Equal(["spot", "on-demand"], NodePoolPolicy.CapacityTypes((await h.NodePools.ListAsync(None))[0])!);
    }

    private static async Task<List<List<string>>> CapacityTypesAsync(CommandHarness h) =>
        [.. (await h.NodePools.ListAsync(None)).Select(p => NodePoolPolicy.CapacityTypes(p)!.ToList())];

    private static (string?, string?) Outcome(JsonElement result) =>
        (result.GetProperty("status").GetString(), result.GetProperty("code").GetString());
}

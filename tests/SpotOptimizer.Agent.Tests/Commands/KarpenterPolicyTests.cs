using System.Text.Json.Nodes;
using SpotOptimizer.Agent.Commands;
using static SpotOptimizer.Agent.Tests.Commands.CommandExecutionTests;

namespace SpotOptimizer.Agent.Tests.Commands;

/// <summary>karpenter_policy against the simulated cluster's NodePools (karpenter.sh/v1), with and without the CRDs.</summary>
public sealed class KarpenterPolicyTests
{
    [Fact]
    public async Task KarpenterPolicy_WithCrds_EveryNodePoolPatchedOtherRequirementsKept()
    {
        await using var h = await CommandHarness.StartAsync();
        var policy = new JsonObject
        {
            ["karpenter"] = new JsonObject
            {
                ["enabled"] = true, ["capacity_types"] = new JsonArray("spot"), ["consolidation_policy"] = "WhenEmpty", ["fallback_on_demand"] = true,
            },
        };

        var result = await h.Runner.ExecuteAsync(Command("karpenter_policy", extra: policy), CancellationToken.None);
        var pools = await h.NodePools.ListAsync(CancellationToken.None);

        Assert.Equal("succeeded", result.Status);
        Assert.Equal(["general", "steady"], pools.Select(p => p["metadata"]!["name"]!.GetValue<string>()));
        Assert.All(pools, p =>
        {
            Assert.Equal(["spot", "on-demand"], NodePoolPolicy.CapacityTypes(p)!);
            Assert.Equal("WhenEmpty", p["spec"]!["disruption"]!["consolidationPolicy"]!.GetValue<string>());
            Assert.Contains(p["spec"]!["template"]!["spec"]!["requirements"]!.AsArray(), r => r!["key"]!.GetValue<string>() == "kubernetes.io/arch");
        });
    }

    [Fact]
    public async Task KarpenterPolicy_DryRunOrDisabled_NodePoolsUnchanged()
    {
        await using var h = await CommandHarness.StartAsync();
        var before = (await h.NodePools.ListAsync(CancellationToken.None)).Select(NodePoolPolicy.CapacityTypes).ToList();
        JsonObject Policy(bool enabled) => new() { ["karpenter"] = new JsonObject { ["enabled"] = enabled, ["capacity_types"] = new JsonArray("on-demand"), ["consolidation_policy"] = null, ["fallback_on_demand"] = false } };

        var dry = await h.Runner.ExecuteAsync(Command("karpenter_policy", dryRun: true, extra: Policy(true)), CancellationToken.None);
        var disabled = await h.Runner.ExecuteAsync(Command("karpenter_policy", extra: Policy(false)), CancellationToken.None);

        Assert.Equal(("succeeded", "skipped"), (dry.Status, disabled.Status));
        Assert.Equal(before, (await h.NodePools.ListAsync(CancellationToken.None)).Select(NodePoolPolicy.CapacityTypes).ToList());
        Assert.Equal(["spot", "on-demand"], before[0]!);
    }

    [Fact]
    public async Task KarpenterPolicy_WithoutCrds_SkippedNotInstalled()
    {
        await using var h = await CommandHarness.StartAsync();
        h.Overlay.KarpenterInstalled = false;
        var policy = new JsonObject { ["karpenter"] = new JsonObject { ["enabled"] = true, ["capacity_types"] = new JsonArray("spot", "on-demand"), ["consolidation_policy"] = null, ["fallback_on_demand"] = true } };

        var result = await h.Runner.ExecuteAsync(Command("karpenter_policy", extra: policy), CancellationToken.None);

        Assert.Equal(("skipped", ResultCodes.KarpenterNotInstalled), (result.Status, result.Code));
        Assert.False(await h.NodePools.InstalledAsync(CancellationToken.None));
    }
}

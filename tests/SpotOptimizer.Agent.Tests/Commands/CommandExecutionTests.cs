using SpotOptimizer.Testing;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Models;
using SpotOptimizer.Agent.Commands;
using SpotOptimizer.Agent.Reporting;

namespace SpotOptimizer.Agent.Tests.Commands;

/// <summary>
/// The agent's command executor against the simulated cluster's Kubernetes API over real HTTP: every kind, the drain's
/// refusals and PodDisruptionBudget handling, dry runs.
/// </summary>
public sealed class CommandExecutionTests
{
    internal static AgentCommand Command(string kind, string? node = null, bool dryRun = false, JsonObject? extra = null) =>
        JsonSerializer.Deserialize<AgentCommand>(FakePlatform.Command($"cmd_{Guid.NewGuid():N}", kind, node, dryRun, extra), PlatformClient.Json)!;

    [Fact]
    public async Task Cordon_ThenUncordon_NodeUnschedulableFlips()
    {
        await using var h = await CommandHarness.StartAsync();

        var cordoned = await h.Runner.ExecuteAsync(Command("cordon", "node-a"), CancellationToken.None);
        var afterCordon = await h.NodeAsync("node-a");
        var uncordoned = await h.Runner.ExecuteAsync(Command("uncordon", "node-a"), CancellationToken.None);
        var afterUncordon = await h.NodeAsync("node-a");

        Assert.Equal(("succeeded", "succeeded"), (cordoned.Status, uncordoned.Status));
        Assert.True(afterCordon.Spec.Unschedulable);
        Assert.NotEqual(true, afterUncordon.Spec.Unschedulable);
        Assert.NotEqual(true, (await h.NodeAsync("node-b")).Spec.Unschedulable);
    }

    [Fact]
    public async Task Cordon_UnknownNode_NodeNotFound()
    {
        await using var h = await CommandHarness.StartAsync();

        var result = await h.Runner.ExecuteAsync(Command("cordon", "node-z"), CancellationToken.None);

        Assert.Equal(("failed", ResultCodes.NodeNotFound), (result.Status, result.Code));
    }

    [Fact]
    public async Task Drain_EvictsWorkloadPods_DaemonSetAndMirrorPodsStay()
    {
        await using var h = await CommandHarness.StartAsync();

        var result = await h.Runner.ExecuteAsync(Command("drain", "node-a"), CancellationToken.None);

        Assert.Equal(("succeeded", null, 2), (result.Status, result.Code, result.EvictedPods));
        Assert.True((await h.NodeAsync("node-a")).Spec.Unschedulable);
        var left = await h.PodsOnAsync("node-a");
        Assert.Equal(4, left.Count);
        Assert.All(left, p => Assert.StartsWith("kube-system/", p, StringComparison.Ordinal));
        Assert.Contains("kube-system/node-proxy-node-a", left);
        var elsewhere = (await h.PodsOnAsync("node-b")).Concat(await h.PodsOnAsync("node-c")).ToList();
        Assert.Contains("shop/web-1", elsewhere);
        Assert.Contains("shop/api-1", elsewhere);
    }

    [Fact]
    public async Task Drain_BudgetRefusesThenFrees_RetriedUntilEvicted()
    {
        await using var h = await CommandHarness.StartAsync();
        h.WebMinAvailable = 2;

        var drain = h.Runner.ExecuteAsync(Command("drain", "node-a"), CancellationToken.None);
        await Eventually.Wait(() => h.Overlay.EvictionsRefused, n => n >= 2, TimeSpan.FromSeconds(10), "the PDB's 429s");
        Assert.False(drain.IsCompleted);
        h.WebMinAvailable = 1;
        var result = await drain;

        Assert.Equal(("succeeded", 2), (result.Status, result.EvictedPods));
        Assert.DoesNotContain("shop/web-1", await h.PodsOnAsync("node-a"));
    }

    [Fact]
    public async Task Drain_BudgetNeverFrees_PdbBlockedAtTheDeadline()
    {
        await using var h = await CommandHarness.StartAsync(new AgentOptions { DrainTimeout = TimeSpan.FromMilliseconds(600), EvictionRetry = TimeSpan.FromMilliseconds(50) });
        h.WebMinAvailable = 2;

        var result = await h.Runner.ExecuteAsync(Command("drain", "node-a"), CancellationToken.None);

        Assert.Equal(("failed", ResultCodes.PdbBlocked), (result.Status, result.Code));
        Assert.Contains("shop/web-1", result.Detail, StringComparison.Ordinal);
        Assert.True(h.Overlay.EvictionsRefused > 2);
        Assert.Contains("shop/web-1", await h.PodsOnAsync("node-a"));
        Assert.True((await h.NodeAsync("node-a")).Spec.Unschedulable);
    }

    [Fact]
    public async Task Drain_DoNotDisruptPod_WholeDrainRefusedNothingChanged()
    {
        await using var h = await CommandHarness.StartAsync();
        var before = await h.PodsOnAsync("node-c");

        var result = await h.Runner.ExecuteAsync(Command("drain", "node-c"), CancellationToken.None);

        Assert.Equal(("skipped", ResultCodes.DoNotDisrupt), (result.Status, result.Code));
        Assert.Contains("data/ledger-0", result.Detail, StringComparison.Ordinal);
        Assert.NotEqual(true, (await h.NodeAsync("node-c")).Spec.Unschedulable);
        Assert.Equal(before, await h.PodsOnAsync("node-c"));
    }

    [Fact]
    public async Task Drain_DoNotDisruptNode_Refused()
    {
        await using var h = await CommandHarness.StartAsync();
        h.NodeADoNotDisrupt = true;

        var result = await h.Runner.ExecuteAsync(Command("drain", "node-a"), CancellationToken.None);

        Assert.Equal(("skipped", ResultCodes.DoNotDisrupt), (result.Status, result.Code));
        Assert.NotEqual(true, (await h.NodeAsync("node-a")).Spec.Unschedulable);
    }

    [Fact]
    public async Task Drain_PodInExcludedNamespace_Refused()
    {
        await using var h = await CommandHarness.StartAsync();
        h.LedgerDoNotDisrupt = false;

        var result = await h.Runner.ExecuteAsync(Command("drain", "node-c", extra: new JsonObject { ["excluded_namespaces"] = new JsonArray("data") }), CancellationToken.None);

        Assert.Equal(("skipped", ResultCodes.ExcludedNamespace), (result.Status, result.Code));
        Assert.Contains("data/ledger-0", await h.PodsOnAsync("node-c"));
        Assert.NotEqual(true, (await h.NodeAsync("node-c")).Spec.Unschedulable);
    }

    [Fact]
    public async Task Drain_DryRun_AnswersWhatItWouldDoChangesNothing()
    {
        await using var h = await CommandHarness.StartAsync();
        var before = await h.PodsOnAsync("node-a");

        var result = await h.Runner.ExecuteAsync(Command("drain", "node-a", dryRun: true), CancellationToken.None);

        Assert.Equal(("succeeded", 2, true), (result.Status, result.EvictedPods, result.DryRun));
        Assert.NotEqual(true, (await h.NodeAsync("node-a")).Spec.Unschedulable);
        Assert.Equal(before, await h.PodsOnAsync("node-a"));
    }

    [Fact]
    public async Task Label_SetsAndRemoves()
    {
        await using var h = await CommandHarness.StartAsync();

        await h.Runner.ExecuteAsync(Command("label", "node-b", extra: new JsonObject { ["labels"] = new JsonObject { ["spotoptimizer.io/pool"] = "batch", ["team"] = "a" } }), CancellationToken.None);
        var result = await h.Runner.ExecuteAsync(Command("label", "node-b", extra: new JsonObject { ["labels"] = new JsonObject { ["team"] = null } }), CancellationToken.None);
        var labels = (await h.NodeAsync("node-b")).Metadata.Labels;

        Assert.Equal("succeeded", result.Status);
        Assert.Equal("batch", labels["spotoptimizer.io/pool"]);
        Assert.False(labels.ContainsKey("team"));
        Assert.Equal("node-b", labels["kubernetes.io/hostname"]);
    }

    [Fact]
    public async Task Taint_AddsReplacesAndRemovesByKey()
    {
        await using var h = await CommandHarness.StartAsync();
        JsonObject Taint(string key, string value, string effect) => new() { ["key"] = key, ["value"] = value, ["effect"] = effect };

        await h.Runner.ExecuteAsync(Command("taint", "node-b", extra: new JsonObject { ["taints"] = new JsonArray(Taint("spot", "true", "PreferNoSchedule"), Taint("drain", "soon", "NoSchedule")) }), CancellationToken.None);
        var result = await h.Runner.ExecuteAsync(Command("taint", "node-b", extra: new JsonObject
        {
            ["taints"] = new JsonArray(Taint("spot", "yes", "PreferNoSchedule")), ["remove_taints"] = new JsonArray("drain"),
        }), CancellationToken.None);
        var taints = (await h.NodeAsync("node-b")).Spec.Taints;

        Assert.Equal("succeeded", result.Status);
        Assert.Equal(["spot=yes:PreferNoSchedule"], taints.Select(t => $"{t.Key}={t.Value}:{t.Effect}"));
    }
}

using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace SpotOptimizer.Agent.Tests.Commands;

/// <summary>The simulated API's write side as any Kubernetes client meets it: the patch media types, dry runs, the Eviction API's budget refusals, Karpenter's discovery.</summary>
public sealed class SimulatedKubernetesWriteTests
{
    [Fact]
    public async Task JsonPatch_AddsEscapedLabelKey_FailedTestRefusedWith422()
    {
        await using var h = await CommandHarness.StartAsync();

        await h.Client.CoreV1.PatchNodeAsync(new V1Patch("""[{"op":"add","path":"/metadata/labels/spotoptimizer.io~1pool","value":"batch"}]""", V1Patch.PatchType.JsonPatch), "node-a");
        var refused = await Assert.ThrowsAsync<HttpOperationException>(() => h.Client.CoreV1.PatchNodeAsync(
            new V1Patch("""[{"op":"test","path":"/spec/unschedulable","value":true},{"op":"add","path":"/spec/unschedulable","value":true}]""", V1Patch.PatchType.JsonPatch), "node-a"));

        Assert.Equal("batch", (await h.NodeAsync("node-a")).Metadata.Labels["spotoptimizer.io/pool"]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.Response.StatusCode);
        Assert.NotEqual(true, (await h.NodeAsync("node-a")).Spec.Unschedulable);
    }

    [Fact]
    public async Task MergePatchDryRun_AnswersThePatchedNode_StoresNothing()
    {
        await using var h = await CommandHarness.StartAsync();

        var answered = await h.Client.CoreV1.PatchNodeAsync(new V1Patch("""{"spec":{"unschedulable":true}}""", V1Patch.PatchType.MergePatch), "node-a", dryRun: "All");

        Assert.True(answered.Spec.Unschedulable);
        Assert.NotEqual(true, (await h.NodeAsync("node-a")).Spec.Unschedulable);
    }

    [Fact]
    public async Task MergePatch_WrongFieldType_422NothingStored()
    {
        await using var h = await CommandHarness.StartAsync();

        var refused = await Assert.ThrowsAsync<HttpOperationException>(() =>
            h.Client.CoreV1.PatchNodeAsync(new V1Patch("""{"spec":{"unschedulable":"soon"}}""", V1Patch.PatchType.MergePatch), "node-a"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.Response.StatusCode);
        Assert.NotEqual(true, (await h.NodeAsync("node-a")).Spec.Unschedulable);
    }

    [Fact]
    public async Task Eviction_NoNodeToTakeThePod_PendingThenTheBudgetRefusesItsSibling()
    {
        await using var h = await CommandHarness.StartAsync();
        foreach (var node in new[] { "node-b", "node-c" })
            await h.Client.CoreV1.PatchNodeAsync(new V1Patch("""{"spec":{"unschedulable":true}}""", V1Patch.PatchType.StrategicMergePatch), node);

        await h.Client.CoreV1.CreateNamespacedPodEvictionAsync(new V1Eviction { Metadata = new V1ObjectMeta { Name = "web-1", NamespaceProperty = "shop" } }, "web-1", "shop");
        var pending = await h.Client.CoreV1.ReadNamespacedPodAsync("web-1", "shop");
        var refused = await Assert.ThrowsAsync<HttpOperationException>(() =>
            h.Client.CoreV1.CreateNamespacedPodEvictionAsync(new V1Eviction { Metadata = new V1ObjectMeta { Name = "web-2", NamespaceProperty = "shop" } }, "web-2", "shop"));

        Assert.Equal((null, "Pending"), (pending.Spec.NodeName, pending.Status.Phase));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Response.StatusCode);
        Assert.Contains("\"reason\":\"TooManyRequests\"", refused.Response.Content, StringComparison.Ordinal);
        Assert.Contains("DisruptionBudget", refused.Response.Content, StringComparison.Ordinal);
        Assert.Equal(1, h.Overlay.EvictionsRefused);
    }

    [Fact]
    public async Task Discovery_KarpenterGroupsOnlyWhenInstalled()
    {
        await using var h = await CommandHarness.StartAsync();

        var with = (await h.Client.Apis.GetAPIVersionsAsync()).Groups.Select(g => g.Name).ToList();
        h.Overlay.KarpenterInstalled = false;
        var without = (await h.Client.Apis.GetAPIVersionsAsync()).Groups.Select(g => g.Name).ToList();
        var missing = await Assert.ThrowsAsync<HttpOperationException>(() => h.Client.CustomObjects.ListClusterCustomObjectAsync("karpenter.sh", "v1", "nodepools"));

        // The generated cluster has metrics-server (KubernetesPodMetrics), Karpenter or not.
        Assert.Equal(["apps", "policy", "karpenter.sh", "karpenter.k8s.aws", "metrics.k8s.io"], with);
        Assert.Equal(["apps", "policy", "metrics.k8s.io"], without);
        Assert.Equal(HttpStatusCode.NotFound, missing.Response.StatusCode);
    }
}

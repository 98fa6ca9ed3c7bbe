using System.Text.Json.Nodes;
using k8s.Models;

namespace SpotOptimizer.SimulatedKubernetes;

/// <summary>
/// Karpenter's CRDs on a simulated cluster that has them: one <c>karpenter.sh/v1</c> NodePool per NodePool its nodes
/// name (allowing spot and on-demand when any of its nodes is Spot, else on-demand only), one
/// <c>karpenter.k8s.aws/v1</c> EC2NodeClass, and the discovery documents that announce both groups.
/// </summary>
internal static class KarpenterNodePools
{
    public const string NodePoolLabel = "karpenter.sh/nodepool";
    public const string CapacityTypeLabel = "karpenter.sh/capacity-type";

    public static IEnumerable<JsonObject> Seed(IEnumerable<V1Node> nodes)
    {
        var pools = nodes
            .Where(n => n.Metadata.Labels?.ContainsKey(NodePoolLabel) == true)
            .GroupBy(n => n.Metadata.Labels[NodePoolLabel], StringComparer.Ordinal)
            .Select(g => (Name: g.Key, Spot: g.Any(n => n.Metadata.Labels.TryGetValue(CapacityTypeLabel, out var capacity) && capacity == "spot")))
            .ToList();
        // A cluster told it has Karpenter but none of whose nodes came from it still has the chart's default pool.
        return (pools.Count == 0 ? [("default", true)] : pools).Select(p => NodePool(p.Name, p.Spot));
    }

    private static JsonObject NodePool(string name, bool spot) => new()
    {
        ["apiVersion"] = "karpenter.sh/v1",
        ["kind"] = "NodePool",
        ["metadata"] = new JsonObject { ["name"] = name, ["uid"] = KubernetesObjects.Uid("NodePool", name) },
        ["spec"] = new JsonObject
        {
            ["template"] = new JsonObject
            {
                ["spec"] = new JsonObject
                {
                    ["nodeClassRef"] = new JsonObject { ["group"] = "karpenter.k8s.aws", ["kind"] = "EC2NodeClass", ["name"] = "default" },
                    ["requirements"] = new JsonArray(
                        Requirement(CapacityTypeLabel, spot ? ["spot", "on-demand"] : ["on-demand"]),
                        Requirement("kubernetes.io/arch", ["amd64"])),
                },
            },
            ["disruption"] = new JsonObject { ["consolidationPolicy"] = "WhenEmptyOrUnderutilized", ["consolidateAfter"] = "1m" },
        },
    };

    public static readonly JsonObject NodeClass = new()
    {
        ["apiVersion"] = "karpenter.k8s.aws/v1",
        ["kind"] = "EC2NodeClass",
        ["metadata"] = new JsonObject { ["name"] = "default", ["uid"] = KubernetesObjects.Uid("EC2NodeClass", "default") },
        ["spec"] = new JsonObject { ["amiSelectorTerms"] = new JsonArray(new JsonObject { ["alias"] = "al2023@latest" }), ["role"] = "KarpenterNodeRole" },
    };

    /// <summary>The named groups, with Karpenter's when the cluster has its CRDs.</summary>
    public static V1APIGroupList Groups(KubernetesObjects cluster) => cluster.NodePools is null ? KubernetesDiscovery.Groups : new V1APIGroupList
    {
        ApiVersion = "v1", Kind = "APIGroupList",
        Groups = [.. KubernetesDiscovery.Groups.Groups, Group("karpenter.sh"), Group("karpenter.k8s.aws")],
    };

    public static V1APIResourceList Resources(string group, string plural, string kind) => new()
    {
        ApiVersion = "v1", Kind = "APIResourceList", GroupVersion = $"{group}/v1",
        Resources = [new V1APIResource { Name = plural, SingularName = kind.ToLowerInvariant(), Kind = kind, Namespaced = false, Verbs = ["get", "list", "watch", "patch"] }],
    };

    public static JsonObject List(string apiVersion, string kind, IEnumerable<JsonObject> items) => new()
    {
        ["apiVersion"] = apiVersion, ["kind"] = kind, ["metadata"] = new JsonObject(),
        ["items"] = new JsonArray([.. items.Select(i => (JsonNode)i.DeepClone())]),
    };

    private static JsonObject Requirement(string key, string[] values) =>
        new() { ["key"] = key, ["operator"] = "In", ["values"] = new JsonArray([.. values.Select(v => (JsonNode)JsonValue.Create(v))]) };

    private static V1APIGroup Group(string name)
    {
        var version = new V1GroupVersionForDiscovery { GroupVersion = $"{name}/v1", Version = "v1" };
        return new V1APIGroup { Name = name, Versions = [version], PreferredVersion = version };
    }
}

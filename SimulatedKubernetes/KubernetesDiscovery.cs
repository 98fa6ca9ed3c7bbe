using k8s.Models;

namespace SpotOptimizer.SimulatedKubernetes;

/// <summary>
/// The discovery documents clients read before a list (kubectl does; the agent's typed client does not): the core
/// group, the named groups, and the resources the simulated API lists, read-only.
/// </summary>
internal static class KubernetesDiscovery
{
    private static readonly string[] ReadVerbs = ["get", "list"];

    public static readonly V1APIVersions CoreVersions = new()
    {
        ApiVersion = "v1", Kind = "APIVersions", Versions = ["v1"],
        ServerAddressByClientCIDRs = [new V1ServerAddressByClientCIDR { ClientCIDR = "0.0.0.0/0", ServerAddress = "" }],
    };

    public static readonly V1APIGroupList Groups = new()
    {
        ApiVersion = "v1", Kind = "APIGroupList",
        Groups = [Group("apps"), Group("policy")],
    };

    public static readonly Dictionary<string, V1APIResourceList> Resources = new(StringComparer.Ordinal)
    {
        ["/api/v1"] = List("v1", ("nodes", "Node", false), ("pods", "Pod", true), ("events", "Event", true)),
        ["/apis/apps/v1"] = List("apps/v1", ("deployments", "Deployment", true), ("replicasets", "ReplicaSet", true), ("statefulsets", "StatefulSet", true), ("daemonsets", "DaemonSet", true)),
        ["/apis/policy/v1"] = List("policy/v1", ("poddisruptionbudgets", "PodDisruptionBudget", true)),
    };

    private static V1APIGroup Group(string name)
    {
        var version = new V1GroupVersionForDiscovery { GroupVersion = $"{name}/v1", Version = "v1" };
        return new V1APIGroup { Name = name, Versions = [version], PreferredVersion = version };
    }

    private static V1APIResourceList List(string groupVersion, params (string Name, string Kind, bool Namespaced)[] resources) => new()
    {
        ApiVersion = "v1", Kind = "APIResourceList", GroupVersion = groupVersion,
        Resources = [.. resources.Select(r => new V1APIResource { Name = r.Name, SingularName = r.Kind.ToLowerInvariant(), Kind = r.Kind, Namespaced = r.Namespaced, Verbs = ReadVerbs })],
    };
}

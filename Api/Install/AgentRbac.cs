using k8s.Models;

namespace SpotOptimizer.Api.Install;

/// <summary>
/// The agent's ClusterRole rules, least privilege: the reads of its inventory, node patches (cordon, label, taint),
/// evictions (drain), event reads (Karpenter's Spot warnings), Karpenter NodePool patches (the On-Demand fallback of
/// safe mode), EC2NodeClass reads and metrics-server's pod usage (right-sizing's percentiles).
/// The chart's templates/clusterrole.yaml holds the same list; AgentChartTests fails when they differ.
/// </summary>
public static class AgentRbac
{
    private static readonly string[] Read = ["get", "list", "watch"];
    private static readonly string[] ReadPatch = ["get", "list", "watch", "patch"];

    public static IReadOnlyList<V1PolicyRule> Rules =>
    [
        Rule("", ["nodes"], ReadPatch),
        Rule("", ["pods"], Read),
        Rule("", ["pods/eviction"], ["create"]),
        Rule("", ["events"], ["list", "watch"]),
        Rule("policy", ["poddisruptionbudgets"], Read),
        Rule("apps", ["deployments", "replicasets", "statefulsets", "daemonsets"], Read),
        Rule("karpenter.sh", ["nodepools"], ReadPatch),
        Rule("karpenter.k8s.aws", ["ec2nodeclasses"], Read),
        Rule("metrics.k8s.io", ["pods"], ["get", "list"]),
    ];

    private static V1PolicyRule Rule(string group, string[] resources, string[] verbs) =>
        new() { ApiGroups = [group], Resources = resources, Verbs = verbs };
}

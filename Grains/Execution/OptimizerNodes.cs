using SpotOptimizer.Cloud;

namespace SpotOptimizer.Grains.Execution;

/// <summary>The tags of nodes the optimizer launches itself (outside any node group): how the product knows its own nodes.</summary>
public static class OptimizerNodes
{
    public const string ManagedTag = "spotoptimizer:managed";
    public const string ReplacesTag = "spotoptimizer:replaces";
    public const string JobTag = "spotoptimizer:job";

    /// <summary>The launch step's idempotency key: finds the node of a launch whose answer was lost.</summary>
    public const string LaunchTag = "spotoptimizer:launch";

    /// <summary>
    /// The node group whose launch template and subnets the node was launched from. Not EKS's own node group tag: the
    /// node stays outside the group (EKS and the cluster autoscaler must not count it), but a relaunch uses the same group.
    /// </summary>
    public const string NodegroupTag = "spotoptimizer:nodegroup";

    public static Dictionary<string, string> Tags(string clusterName, string reason, IReadOnlyDictionary<string, string>? extra = null)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Name"] = $"{clusterName}-spotoptimizer-node",
            [Ec2Instance.ClusterNameTag] = clusterName,
            [$"kubernetes.io/cluster/{clusterName}"] = "owned",
            [ManagedTag] = reason,
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>()) tags[key] = value;
        return tags;
    }

    public static bool IsOurs(Ec2Instance instance, string clusterName) =>
        instance.ClusterName == clusterName && instance.NodegroupName is null && instance.Tags.ContainsKey(ManagedTag);
}

using SpotOptimizer.Cloud;
using SpotOptimizer.Grains.Execution;

namespace SpotOptimizer.Grains.Lab;

/// <summary>
/// The tags of the Spot instance a live switch launches. It carries its cluster's tags, so the cluster knows it and the
/// customer's policy (which lets the product change cluster nodes only) lets it be terminated again, and the Lab's,
/// naming the experiment. It is not tagged as the optimizer's own node: consolidation must leave a Lab instance alone.
/// </summary>
public static class LabNodes
{
    public const string LabTag = "spotoptimizer:lab";
    public const string ExperimentTag = "spotoptimizer:lab-experiment";
    public const string LiveSwitch = "live-switch";

    public static Dictionary<string, string> Tags(string clusterName, string experimentKey, string replacedInstanceId) => new(StringComparer.Ordinal)
    {
        ["Name"] = $"{clusterName}-spotoptimizer-lab",
        [Ec2Instance.ClusterNameTag] = clusterName,
        [$"kubernetes.io/cluster/{clusterName}"] = "owned",
        [LabTag] = LiveSwitch,
        [ExperimentTag] = experimentKey,
        [OptimizerNodes.ReplacesTag] = replacedInstanceId,
    };
}

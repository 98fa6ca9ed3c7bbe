using SpotOptimizer.Cloud;
using SpotOptimizer.Grains.Execution;
using SpotOptimizer.Grains.Interfaces.Lab;

namespace SpotOptimizer.Grains.Lab;

/// <summary>
/// The tags of every node the Lab launches: its cluster's (so the cluster knows it, and the customer's policy, which
/// lets the product change cluster nodes only, lets it be terminated again) and the Lab's, naming the experiment and,
/// in an A/B test, the arm — the tag-based isolation anyone reading EC2 can check. Not tagged as the optimizer's own
/// node: consolidation leaves Lab nodes alone.
/// </summary>
public static class LabTags
{
    /// <summary>The experiment's kind (<see cref="ExperimentKinds"/>).</summary>
    public const string Lab = "spotoptimizer:lab";
    public const string Experiment = "spotoptimizer:lab-experiment";
    public const string Arm = "spotoptimizer:lab-arm";

    public static Dictionary<string, string> ForArm(string clusterName, string experimentId, string arm)
    {
        var tags = Base(clusterName, ExperimentKinds.Parallel, experimentId);
        tags[Arm] = arm;
        return tags;
    }

    public static Dictionary<string, string> ForLiveSwitch(string clusterName, string experimentKey, string replacedInstanceId)
    {
        var tags = Base(clusterName, ExperimentKinds.LiveSwitch, experimentKey);
        tags[OptimizerNodes.ReplacesTag] = replacedInstanceId;
        return tags;
    }

    private static Dictionary<string, string> Base(string clusterName, string kind, string experimentId) => new(StringComparer.Ordinal)
    {
        ["Name"] = $"{clusterName}-spotoptimizer-lab",
        [Ec2Instance.ClusterNameTag] = clusterName,
        [$"kubernetes.io/cluster/{clusterName}"] = "owned",
        [Lab] = kind,
        [Experiment] = experimentId,
    };
}

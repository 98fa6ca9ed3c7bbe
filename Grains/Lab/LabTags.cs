using SpotOptimizer.Cloud;
using SpotOptimizer.Grains.Execution;

namespace SpotOptimizer.Grains.Lab;

/// <summary>
/// How the Lab marks the nodes it launches: each carries its experiment and arm, so an arm's decisions can be checked
/// to touch only its own nodes (tag-based isolation), and anyone reading EC2 sees which test a node belongs to.
/// </summary>
public static class LabTags
{
    public const string Experiment = "spotoptimizer:lab-experiment";
    public const string Arm = "spotoptimizer:lab-arm";
    public const string Reason = "lab";

    public static Dictionary<string, string> For(string clusterName, string experimentId, string arm) =>
        OptimizerNodes.Tags(clusterName, Reason, new Dictionary<string, string>(StringComparer.Ordinal) { [Experiment] = experimentId, [Arm] = arm });

    public static bool BelongsTo(Ec2Instance instance, string experimentId, string arm) =>
        instance.Tags.TryGetValue(Experiment, out var experiment) && experiment == experimentId && instance.Tags.TryGetValue(Arm, out var a) && a == arm;
}

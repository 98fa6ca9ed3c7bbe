using k8s;
using k8s.Models;
using SpotOptimizer.Agent.Inventory;

namespace SpotOptimizer.Agent.Tests;

/// <summary>The recorded list responses, deserialized as the agent's client would (<see cref="KubernetesJson"/>).</summary>
internal static class Fixtures
{
    public static T Read<T>(string file) =>
        KubernetesJson.Deserialize<T>(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", file)));

    public static ClusterSnapshot Cluster() => new(
        [.. Read<V1NodeList>("nodes.json").Items],
        [.. Read<V1PodList>("pods.json").Items],
        [.. Read<V1PodDisruptionBudgetList>("poddisruptionbudgets.json").Items],
        [.. Read<V1ReplicaSetList>("replicasets.json").Items],
        [.. Read<V1DeploymentList>("deployments.json").Items],
        [],
        []);
}

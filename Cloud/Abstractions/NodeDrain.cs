namespace SpotOptimizer.Cloud;

/// <summary>
/// Cordon and drain a Kubernetes node before its instance goes away. On AWS this is not an AWS API: the cluster's
/// agent runs it through the Kubernetes eviction API, which refuses an eviction that would break a
/// PodDisruptionBudget (<see cref="CloudErrorCodes.DisruptionBudget"/>). The executor drains through a polling agent's
/// command channel first; this interface is the fallback: the simulator drains its own clusters, the AWS provider
/// answers <see cref="CloudErrorCodes.AgentNotConnected"/>.
/// </summary>
public interface INodeDrain
{
    /// <summary>
    /// Cordons the node and evicts its pods. Refused with <see cref="CloudErrorCodes.ExcludedNamespace"/> (nothing
    /// changed) when the node runs pods of an excluded namespace: the optimizer never evicts those.
    /// Idempotent: draining a drained node evicts nothing and succeeds.
    /// </summary>
    Task<DrainResult> DrainAsync(CloudSession session, string region, string clusterName, string instanceId, DrainRequest request,
        CancellationToken cancellationToken = default);
}

public sealed record DrainRequest(IReadOnlyList<string> ExcludedNamespaces, bool DryRun);

/// <param name="PodsEvicted">Pods evicted, or that would be with <see cref="DryRun"/>.</param>
public sealed record DrainResult(string InstanceId, int PodsEvicted, bool DryRun);

namespace SpotOptimizer.Cloud.Aws;

/// <summary>
/// Node drain on AWS. Draining is not an AWS API: the cluster's agent evicts through Kubernetes, and the executor sends
/// it a drain command whenever the agent polls for commands (<c>AgentDrains</c>). This provider is reached only when no
/// agent polls, so every drain fails with <see cref="CloudErrorCodes.AgentNotConnected"/> and nothing is changed.
/// </summary>
internal sealed class AwsNodeDrain : INodeDrain
{
    public Task<DrainResult> DrainAsync(CloudSession session, string region, string clusterName, string instanceId, DrainRequest request,
        CancellationToken cancellationToken = default) =>
        Task.FromException<DrainResult>(new CloudException(CloudErrorCodes.AgentNotConnected,
            $"Cluster {clusterName} has no agent asking for commands, so {instanceId} cannot be drained; AWS has no drain of its own.") { Operation = CloudActions.DrainNode });
}

namespace SpotOptimizer.Cloud.Aws;

/// <summary>
/// Node drain on AWS: not an AWS API but the cluster agent's job (Kubernetes eviction), and the agent has no command
/// channel yet, so every drain fails with <see cref="CloudErrorCodes.NotImplemented"/>.
/// </summary>
internal sealed class AwsNotImplemented : INodeDrain
{
    public Task<DrainResult> DrainAsync(CloudSession session, string region, string clusterName, string instanceId, DrainRequest request,
        CancellationToken cancellationToken = default) =>
        Task.FromException<DrainResult>(new CloudException(CloudErrorCodes.NotImplemented,
            $"The AWS provider does not implement {CloudActions.DrainNode} yet: draining needs the cluster agent's command channel.") { Operation = CloudActions.DrainNode });
}

namespace SpotOptimizer.Cloud;

/// <summary>
/// The product's only way into a customer's cloud. Assume the customer's role once, then pass the
/// <see cref="CloudSession"/> to the per-concern operations. Implementations: the simulator (embedded default, tests)
/// and AWS. Every failure surfaces as a <see cref="CloudException"/> with a stable code.
/// </summary>
public interface ICloudProvider
{
    /// <summary>Assumes the customer's cross-account role (STS AssumeRole with External ID).</summary>
    Task<CloudSession> AssumeRoleAsync(RoleRequest request, CancellationToken cancellationToken = default);

    /// <summary>What the assumed role may do.</summary>
    ICloudPermissions Permissions { get; }

    /// <summary>EC2 inventory: the instances behind the clusters.</summary>
    IEc2Inventory Ec2 { get; }

    /// <summary>EKS clusters and managed node groups.</summary>
    IEksClusters Eks { get; }

    /// <summary>Spot prices per pool.</summary>
    ISpotMarket SpotMarket { get; }

    /// <summary>Launch, stop, start and terminate instances, interruption signals.</summary>
    IInstanceLifecycle Instances { get; }

    /// <summary>Auto Scaling group capacity.</summary>
    IAutoScaling AutoScaling { get; }

    /// <summary>EBS volumes: an instance's attachments, detach, attach.</summary>
    IVolumes Volumes { get; }

    /// <summary>EC2 instance events (interruption warnings, rebalance recommendations, state changes) from the account's EventBridge queue.</summary>
    IInstanceEvents Events { get; }

    /// <summary>Cordon and drain when no agent polls for commands: the simulator drains its own clusters; AWS answers <c>agent_not_connected</c>.</summary>
    INodeDrain Nodes { get; }
}

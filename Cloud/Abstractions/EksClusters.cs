namespace SpotOptimizer.Cloud;

public interface IEksClusters
{
    /// <summary>Cluster names in the region, all pages (EKS ListClusters).</summary>
    Task<IReadOnlyList<string>> ListClustersAsync(CloudSession session, string region, CancellationToken cancellationToken = default);

    /// <summary>One cluster; <see cref="CloudErrorCodes.NotFound"/> when it does not exist.</summary>
    Task<EksCluster> DescribeClusterAsync(CloudSession session, string region, string clusterName, CancellationToken cancellationToken = default);

    /// <summary>Managed node group names of a cluster, all pages.</summary>
    Task<IReadOnlyList<string>> ListNodegroupsAsync(CloudSession session, string region, string clusterName, CancellationToken cancellationToken = default);

    Task<EksNodegroup> DescribeNodegroupAsync(CloudSession session, string region, string clusterName, string nodegroupName, CancellationToken cancellationToken = default);

    /// <summary>Sets a managed node group's min/max/desired (hibernation scales to zero and back).</summary>
    /// <param name="clientRequestToken">EKS's idempotency token: a retried call with the same token is the same update.</param>
    Task<EksNodegroup> UpdateNodegroupScalingAsync(CloudSession session, string region, string clusterName, string nodegroupName, NodegroupScaling scaling, bool dryRun,
        string? clientRequestToken = null, CancellationToken cancellationToken = default);
}

public enum CapacityType
{
    OnDemand,
    Spot,
}

public sealed record EksCluster(string Name, string Arn, string Version, string Endpoint, string Status, string Region, DateTimeOffset CreatedAt);

public sealed record NodegroupScaling(int MinSize, int MaxSize, int DesiredSize)
{
    public bool IsValid => MinSize >= 0 && MinSize <= DesiredSize && DesiredSize <= MaxSize && MaxSize >= 1;
}

public sealed record EksNodegroup(
    string Name,
    string ClusterName,
    string Status,
    IReadOnlyList<string> InstanceTypes,
    CapacityType CapacityType,
    NodegroupScaling Scaling,
    IReadOnlyList<string> AutoScalingGroupNames)
{
    /// <summary>
    /// The launch template the node group's instances start from (image, network, instance profile, user data): a
    /// replacement node launched from it joins the cluster like the group's own. Null when the provider did not say.
    /// </summary>
    public LaunchTemplateRef? LaunchTemplate { get; init; }

    /// <summary>The subnets the node group launches into; their zones are where its nodes can run.</summary>
    public IReadOnlyList<string> Subnets { get; init; } = [];
}

/// <param name="Version">A version number, or <c>$Default</c> / <c>$Latest</c>.</param>
public sealed record LaunchTemplateRef(string Id, string Name, string Version);

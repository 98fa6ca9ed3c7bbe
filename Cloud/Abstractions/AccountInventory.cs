namespace SpotOptimizer.Cloud;

/// <summary>What discovery sees in one account: per region, the EKS clusters with their node groups, and every instance.</summary>
public sealed record AccountInventory(string AccountId, IReadOnlyList<RegionInventory> Regions)
{
    /// <summary>
    /// Scans the given regions through any provider: DescribeInstances, then ListClusters → DescribeCluster →
    /// ListNodegroups → DescribeNodegroup. Sequential on purpose: discovery runs every few minutes per account and
    /// must not burst the customer's API rate limits (and the simulator's fault injection stays reproducible).
    /// </summary>
    public static async Task<AccountInventory> ScanAsync(ICloudProvider cloud, CloudSession session, IEnumerable<string> regions, CancellationToken cancellationToken = default)
    {
        var scanned = new List<RegionInventory>();
        foreach (var region in regions)
        {
            var instances = await cloud.Ec2.DescribeInstancesAsync(session, region, cancellationToken);
            var clusters = new List<ClusterInventory>();
            foreach (var name in await cloud.Eks.ListClustersAsync(session, region, cancellationToken))
            {
                var cluster = await cloud.Eks.DescribeClusterAsync(session, region, name, cancellationToken);
                var nodegroups = new List<EksNodegroup>();
                foreach (var nodegroup in await cloud.Eks.ListNodegroupsAsync(session, region, name, cancellationToken))
                    nodegroups.Add(await cloud.Eks.DescribeNodegroupAsync(session, region, name, nodegroup, cancellationToken));
                clusters.Add(new ClusterInventory(cluster, nodegroups, instances.Where(i => i.ClusterName == name).ToList()));
            }

            scanned.Add(new RegionInventory(region, clusters, instances));
        }

        return new AccountInventory(session.AccountId, scanned);
    }
}

/// <param name="Instances">Every instance of the region, EKS nodes or not.</param>
public sealed record RegionInventory(string Region, IReadOnlyList<ClusterInventory> Clusters, IReadOnlyList<Ec2Instance> Instances);

/// <param name="Nodes">The region's instances whose <c>eks:cluster-name</c> tag names this cluster.</param>
public sealed record ClusterInventory(EksCluster Cluster, IReadOnlyList<EksNodegroup> Nodegroups, IReadOnlyList<Ec2Instance> Nodes);

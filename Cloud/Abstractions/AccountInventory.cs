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

            scanned.Add(new RegionInventory(region, clusters, instances) { Zones = await ZonesAsync(cloud, session, region, cancellationToken) });
        }

        return new AccountInventory(session.AccountId, scanned);
    }

    /// <summary>
    /// The account's zone IDs; null for a role created before the template allowed DescribeAvailabilityZones (its
    /// zones are then taken by name, as before), so an old stack keeps working until the customer updates it.
    /// </summary>
    public static async Task<IReadOnlyList<AvailabilityZone>?> ZonesAsync(ICloudProvider cloud, CloudSession session, string region, CancellationToken cancellationToken)
    {
        try
        {
            return await cloud.Ec2.DescribeAvailabilityZonesAsync(session, region, cancellationToken);
        }
        catch (CloudException exception) when (exception.Code == CloudErrorCodes.MissingPermission(CloudActions.DescribeAvailabilityZones))
        {
            return null;
        }
    }
}

/// <param name="Instances">Every instance of the region, EKS nodes or not.</param>
public sealed record RegionInventory(string Region, IReadOnlyList<ClusterInventory> Clusters, IReadOnlyList<Ec2Instance> Instances)
{
    /// <summary>The account's zones in the region with their IDs; null when the role may not read them.</summary>
    public IReadOnlyList<AvailabilityZone>? Zones { get; init; }

    /// <summary>Zone name → zone ID, or null when unknown.</summary>
    public IReadOnlyDictionary<string, string>? ZoneIds => Zones?.ToDictionary(z => z.ZoneName, z => z.ZoneId, StringComparer.Ordinal);
}

/// <param name="Nodes">The region's instances whose <c>eks:cluster-name</c> tag names this cluster.</param>
public sealed record ClusterInventory(EksCluster Cluster, IReadOnlyList<EksNodegroup> Nodegroups, IReadOnlyList<Ec2Instance> Nodes);

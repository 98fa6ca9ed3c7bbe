namespace SpotOptimizer.Cloud.Simulation;

/// <summary>
/// The simulator's whole state as plain values: accounts → regions → EKS clusters (with node groups) and the EC2
/// instances behind them, linked by tags the way AWS links them. <see cref="SimulatedCloud"/> keeps the current world in
/// its <see cref="ISimulatedWorldStore"/> and replaces it atomically on every change, so readers always see a consistent snapshot.
/// </summary>
public sealed record SimulatedWorld(int Seed, IReadOnlyList<SimulatedAccount> Accounts)
{
    public const string DemoAccountId = "111122223333";
    public const string DemoRegion = "us-east-1";

    /// <summary>The anchor for generated timestamps when none is given, so a seed alone fixes the world.</summary>
    public static readonly DateTimeOffset DefaultEpoch = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// The demo tenant's world: account <see cref="DemoAccountId"/> in <see cref="DemoRegion"/> with 2–3 EKS clusters
    /// of 2–3 node groups each, mostly On-Demand (the product's opportunity) with some Spot, plus a few non-EKS
    /// instances. Same seed and <paramref name="asOf"/> → same world.
    /// </summary>
    public static SimulatedWorld Demo(int seed, DateTimeOffset? asOf = null) => DemoWorld.Build(seed, asOf ?? DefaultEpoch);

    public SimulatedAccount? FindAccount(string accountId) => Accounts.FirstOrDefault(a => a.AccountId == accountId);

    public SimulatedWorld WithAccount(SimulatedAccount account) =>
        this with { Accounts = Accounts.Upsert(a => a.AccountId == account.AccountId, account) };

    /// <summary>Applies <paramref name="change"/> to one region of one account, creating either when missing.</summary>
    public SimulatedWorld UpdateRegion(string accountId, string region, Func<SimulatedRegion, SimulatedRegion> change)
    {
        var account = FindAccount(accountId) ?? SimulatedAccount.Empty(accountId);
        return WithAccount(account.WithRegion(change(account.FindRegion(region) ?? SimulatedRegion.Empty(region))));
    }
}

public sealed record SimulatedAccount(string AccountId, IReadOnlyList<SimulatedRegion> Regions, IReadOnlyList<SimulatedRole> Roles)
{
    /// <summary>The EventBridge queues of the customer's stacks, one per region the stack was deployed in.</summary>
    public IReadOnlyList<SimulatedEventQueue> EventQueues { get; init; } = [];

    public SimulatedEventQueue? FindEventQueue(string region, string name = InstanceEventQueue.QueueName) =>
        EventQueues.FirstOrDefault(q => q.Region == region && q.Name == name);

    public SimulatedAccount WithEventQueue(SimulatedEventQueue queue) =>
        this with { EventQueues = EventQueues.Upsert(q => q.Region == queue.Region && q.Name == queue.Name, queue) };

    public static SimulatedAccount Empty(string accountId) => new(accountId, [], []);

    public SimulatedRegion? FindRegion(string region) => Regions.FirstOrDefault(r => r.Name == region);

    public SimulatedRole? FindRole(string roleName) => Roles.FirstOrDefault(r => r.RoleName == roleName);

    public SimulatedAccount WithRegion(SimulatedRegion region) =>
        this with { Regions = Regions.Upsert(r => r.Name == region.Name, region) };

    public SimulatedAccount WithRole(SimulatedRole role) =>
        this with { Roles = Roles.Upsert(r => r.RoleName == role.RoleName, role) };

    public SimulatedAccount WithoutRole(string roleName) => this with { Roles = [.. Roles.Where(r => r.RoleName != roleName)] };
}

/// <summary>The cross-account role a customer's CloudFormation stack creates: trusts one External ID, allows some actions.</summary>
/// <param name="AllowedActions">The role policy's actions, each granted as the customer's template grants it.</param>
public sealed record SimulatedRole(string RoleName, string ExternalId, IReadOnlySet<string> AllowedActions)
{
    /// <summary>The <c>ec2:CreateAction</c> values under which the template grants <see cref="CloudActions.CreateTags"/>: tags at launch only.</summary>
    public static readonly IReadOnlyList<string> TaggingCreateActions = ["CreateFleet", "RunInstances"];

    /// <summary>
    /// IAM's verdict as the template's policy gives it: every listed action on any resource, except
    /// <see cref="CloudActions.CreateTags"/>, allowed only within the call that creates the resource
    /// (<paramref name="createAction"/>, IAM's <c>ec2:CreateAction</c>, one of <see cref="TaggingCreateActions"/>).
    /// </summary>
    public bool Allows(string action, string? createAction = null) =>
        AllowedActions.Contains(action) && (action != CloudActions.CreateTags || (createAction is not null && TaggingCreateActions.Contains(createAction)));
}

/// <param name="Instances">Every instance of the region; EKS nodes carry <c>eks:cluster-name</c>/<c>eks:nodegroup-name</c> tags.</param>
public sealed record SimulatedRegion(string Name, IReadOnlyList<string> AvailabilityZones, IReadOnlyList<SimulatedCluster> Clusters, IReadOnlyList<SimulatedNode> Instances)
{
    /// <summary>Spot interruption notices and rebalance recommendations issued in the region, oldest first.</summary>
    public IReadOnlyList<InterruptionNotice> Notices { get; init; } = [];

    /// <summary>The region's EBS volumes, attached or not.</summary>
    public IReadOnlyList<SimulatedVolume> Volumes { get; init; } = [];

    public static SimulatedRegion Empty(string name) => new(name, [$"{name}a", $"{name}b", $"{name}c"], [], []);

    public SimulatedCluster? FindCluster(string name) => Clusters.FirstOrDefault(c => c.Cluster.Name == name);

    public IEnumerable<SimulatedNode> NodesOf(string clusterName, string? nodegroupName = null) =>
        Instances.Where(n => n.Instance.ClusterName == clusterName && (nodegroupName is null || n.Instance.NodegroupName == nodegroupName));

    public SimulatedRegion WithCluster(SimulatedCluster cluster) =>
        this with { Clusters = Clusters.Upsert(c => c.Cluster.Name == cluster.Cluster.Name, cluster) };

    /// <summary>Removes the cluster and the instances tagged with it.</summary>
    public SimulatedRegion WithoutCluster(string name) => this with
    {
        Clusters = [.. Clusters.Where(c => c.Cluster.Name != name)],
        Instances = [.. Instances.Where(n => n.Instance.ClusterName != name)],
    };

    public SimulatedRegion WithInstance(SimulatedNode node) =>
        this with { Instances = Instances.Upsert(n => n.Instance.InstanceId == node.Instance.InstanceId, node) };

    public SimulatedRegion WithoutInstance(string instanceId) =>
        this with { Instances = [.. Instances.Where(n => n.Instance.InstanceId != instanceId)] };

    public SimulatedVolume? FindVolume(string volumeId) => Volumes.FirstOrDefault(v => v.VolumeId == volumeId);

    public SimulatedRegion WithVolume(SimulatedVolume volume) =>
        this with { Volumes = Volumes.Upsert(v => v.VolumeId == volume.VolumeId, volume) };
}

/// <summary>
/// An EBS volume: it lives in one availability zone and is attached to at most one instance. Attaching and detaching
/// complete at once here (EC2 takes seconds), so a stored attachment is always <see cref="VolumeAttachmentState.Attached"/>.
/// </summary>
/// <param name="Attachment">Null while the volume is available (attached to nothing).</param>
public sealed record SimulatedVolume(string VolumeId, string AvailabilityZone, VolumeAttachment? Attachment);

public sealed record SimulatedCluster(EksCluster Cluster, IReadOnlyList<EksNodegroup> Nodegroups)
{
    public EksNodegroup? FindNodegroup(string name) => Nodegroups.FirstOrDefault(n => n.Name == name);

    public SimulatedCluster WithNodegroup(EksNodegroup nodegroup) =>
        this with { Nodegroups = Nodegroups.Upsert(n => n.Name == nodegroup.Name, nodegroup) };
}

/// <summary>An EC2 instance and what runs on it (the pod count is what the in-cluster agent would report).</summary>
/// <param name="Namespaces">Namespaces of the workload pods on the node (DaemonSet pods are not counted: drain leaves them).</param>
public sealed record SimulatedNode(Ec2Instance Instance, int PodCount, DateTimeOffset? TerminatedAt = null, IReadOnlyList<string>? Namespaces = null)
{
    public static readonly IReadOnlyList<string> DefaultNamespaces = ["default"];

    public bool Cordoned { get; init; }

    /// <summary>When StopInstances was sent; the instance is stopping until the simulator's stop time has passed, then stopped.</summary>
    public DateTimeOffset? StoppingSince { get; init; }

    public IReadOnlyList<string> WorkloadNamespaces => Namespaces ?? DefaultNamespaces;
}

internal static class WorldLists
{
    /// <summary>Replaces the matching item in place (order is what discovery returns), or appends.</summary>
    public static IReadOnlyList<T> Upsert<T>(this IReadOnlyList<T> items, Func<T, bool> match, T item)
    {
        var result = new List<T>(items.Count + 1);
        var replaced = false;
        foreach (var existing in items)
        {
            if (!replaced && match(existing))
            {
                result.Add(item);
                replaced = true;
            }
            else
            {
                result.Add(existing);
            }
        }

        if (!replaced) result.Add(item);
        return result;
    }
}

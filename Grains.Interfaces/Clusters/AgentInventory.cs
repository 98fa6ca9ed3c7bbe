using Orleans;

namespace SpotOptimizer.Grains.Interfaces.Clusters;

/// <summary>
/// What the in-cluster agent last reported: the one source of truth for the cluster's nodes, pods and their usage.
/// Packing, right-sizing, the KPIs and the projection all read it; discovery (the AWS view) fills in only until the
/// first report arrives.
/// </summary>
/// <param name="DaemonSetOverhead">What the DaemonSets request on every node (they are not listed in <see cref="Pods"/>).</param>
[GenerateSerializer, Immutable]
public sealed record AgentInventory(
    IReadOnlyList<InventoryNode> Nodes,
    IReadOnlyList<InventoryPod> Pods,
    IReadOnlyList<InventoryWorkload> Workloads,
    InventoryResources DaemonSetOverhead);

[GenerateSerializer, Immutable]
public sealed record InventoryResources(int CpuMillicores, int MemoryMiB, int Pods);

/// <param name="Name">The Kubernetes node name.</param>
/// <param name="CapacityType">"spot" or "on_demand" (the <c>karpenter.sh/capacity-type</c> / <c>eks.amazonaws.com/capacityType</c> label).</param>
/// <param name="Nodegroup">The managed node group, if any.</param>
/// <param name="NodePool">The Karpenter NodePool, if any.</param>
/// <param name="Taints">Taints as <c>key=value:Effect</c>.</param>
/// <param name="Conditions">Conditions that are not healthy (e.g. <c>NotReady</c>, <c>MemoryPressure</c>); empty when healthy.</param>
/// <param name="DoNotDisrupt">The node carries <c>spotoptimizer.io/do-not-disrupt</c>: never drained or removed.</param>
[GenerateSerializer, Immutable]
public sealed record InventoryNode(
    string Name,
    string InstanceId,
    string InstanceType,
    string AvailabilityZone,
    string CapacityType,
    string? Nodegroup,
    string? NodePool,
    InventoryResources Allocatable,
    IReadOnlyList<string> Taints,
    IReadOnlyList<string> Conditions,
    DateTimeOffset CreatedAt,
    bool DoNotDisrupt = false);

/// <param name="Workload">The owning workload's name (the Deployment behind the ReplicaSet, the StatefulSet, …).</param>
/// <param name="OwnerKind">Deployment, StatefulSet, Job, … ("Pod" for a bare pod). DaemonSet and mirror pods are not reported.</param>
/// <param name="Node">The node it runs on; null while pending.</param>
/// <param name="ZoneAffinity">A required node affinity on <c>topology.kubernetes.io/zone</c>, if any.</param>
/// <param name="CapacityTypeAffinity">A required node affinity on the capacity type ("spot" / "on_demand"), if any.</param>
[GenerateSerializer, Immutable]
public sealed record InventoryPod(
    string Name,
    string Namespace,
    string Workload,
    string OwnerKind,
    string? Node,
    int CpuRequestMillicores,
    int MemoryRequestMiB,
    int? CpuLimitMillicores,
    int? MemoryLimitMiB,
    int Priority,
    bool DoNotDisrupt,
    string? ZoneAffinity = null,
    string? CapacityTypeAffinity = null);

/// <summary>A workload's scheduling rules, disruption budget and measured usage.</summary>
/// <param name="OneReplicaPerNode">Required pod anti-affinity on the hostname.</param>
/// <param name="ZoneMaxSkew">Zone topology spread with <c>whenUnsatisfiable: DoNotSchedule</c>.</param>
/// <param name="Usage">Measured usage per pod, when the cluster has metrics-server or Prometheus.</param>
[GenerateSerializer, Immutable]
public sealed record InventoryWorkload(
    string Namespace,
    string Name,
    string Kind,
    int Replicas,
    bool OneReplicaPerNode = false,
    int? ZoneMaxSkew = null,
    int? PdbMinAvailable = null,
    int? PdbMaxUnavailable = null,
    WorkloadUsage? Usage = null);

/// <summary>Per-pod usage percentiles over the window the agent could see (at most the configured window, default 14 days).</summary>
/// <param name="WindowDays">Days of data the percentiles cover.</param>
/// <param name="Source">"metrics-server" or "prometheus".</param>
[GenerateSerializer, Immutable]
public sealed record WorkloadUsage(
    double WindowDays,
    string Source,
    int CpuP50Millicores,
    int CpuP95Millicores,
    int CpuP99Millicores,
    int MemoryP50MiB,
    int MemoryP95MiB,
    int MemoryP99MiB);

[GenerateSerializer, Immutable]
public sealed record AgentInventoryReport(string TokenHash, string AgentVersion, AgentInventory Inventory);

/// <param name="InventoryVersion">Goes up by one each time the reported inventory differs from the previous one.</param>
[GenerateSerializer, Immutable]
public sealed record InventoryAck(string ClusterId, int PolicyVersion, DateTimeOffset ReceivedAt, int InventoryVersion);

/// <summary>The cluster's latest inventory as readers see it; <see cref="Inventory"/> is null until the agent's first report.</summary>
[GenerateSerializer, Immutable]
public sealed record InventoryView(string ClusterId, int Version, DateTimeOffset? ReportedAt, AgentInventory? Inventory);

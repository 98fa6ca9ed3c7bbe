namespace SpotOptimizer.Agent.Inventory;

/// <summary>
/// The body of the platform's <c>POST /api/agent/inventory</c>, serialized snake_case. The agent keeps its own copy of
/// the contract (it ships to customers' clusters and must not carry the platform's Orleans types).
/// </summary>
public sealed record InventoryReport(
    string AgentVersion,
    IReadOnlyList<ReportedNode> Nodes,
    IReadOnlyList<ReportedPod> Pods,
    IReadOnlyList<ReportedWorkload> Workloads,
    ReportedResources DaemonsetOverhead);

public sealed record ReportedResources(int CpuMillicores, int MemoryMib, int Pods);

/// <param name="CapacityType">"spot" or "on_demand".</param>
/// <param name="Taints">As <c>key=value:Effect</c>.</param>
/// <param name="Conditions">Only the unhealthy ones (NotReady, MemoryPressure, …).</param>
public sealed record ReportedNode(
    string Name,
    string InstanceId,
    string InstanceType,
    string AvailabilityZone,
    string CapacityType,
    string? Nodegroup,
    string? NodePool,
    ReportedResources Allocatable,
    IReadOnlyList<string> Taints,
    IReadOnlyList<string> Conditions,
    DateTimeOffset CreatedAt,
    bool DoNotDisrupt);

/// <param name="OwnerKind">The workload's kind (Deployment for a ReplicaSet's pod), or "Pod" for a bare pod.</param>
public sealed record ReportedPod(
    string Name,
    string Namespace,
    string Workload,
    string OwnerKind,
    string? Node,
    int CpuRequestMillicores,
    int MemoryRequestMib,
    int? CpuLimitMillicores,
    int? MemoryLimitMib,
    int Priority,
    bool DoNotDisrupt,
    string? ZoneAffinity,
    string? CapacityTypeAffinity);

/// <param name="Usage">Per-pod usage from metrics-server (<c>Usage/</c>); null while none has been measured.</param>
public sealed record ReportedWorkload(
    string Namespace,
    string Name,
    string Kind,
    int Replicas,
    bool OneReplicaPerNode,
    int? ZoneMaxSkew,
    int? PdbMinAvailable,
    int? PdbMaxUnavailable,
    ReportedUsage? Usage = null);

/// <summary>Per-pod percentiles over the part of the usage window the agent has seen.</summary>
/// <param name="WindowDays">The time the samples cover, in days (the platform needs some days before it right-sizes).</param>
/// <param name="Source">"metrics-server".</param>
public sealed record ReportedUsage(
    double WindowDays,
    string Source,
    int CpuP50Millicores,
    int CpuP95Millicores,
    int CpuP99Millicores,
    int MemoryP50Mib,
    int MemoryP95Mib,
    int MemoryP99Mib);

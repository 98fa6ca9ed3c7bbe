using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Selection;

namespace SpotOptimizer.Optimization.Packing;

/// <summary>Requests or capacity in Kubernetes' units; <see cref="Pods"/> counts pod slots (a node's max pods).</summary>
public readonly record struct Resources(int CpuMillicores, int MemoryMiB, int Pods)
{
    public static Resources operator +(Resources a, Resources b) => new(a.CpuMillicores + b.CpuMillicores, a.MemoryMiB + b.MemoryMiB, a.Pods + b.Pods);

    public static Resources operator -(Resources a, Resources b) => new(a.CpuMillicores - b.CpuMillicores, a.MemoryMiB - b.MemoryMiB, a.Pods - b.Pods);

    public bool Holds(Resources requests) =>
        requests.CpuMillicores <= CpuMillicores && requests.MemoryMiB <= MemoryMiB && requests.Pods <= Pods;
}

/// <summary>The labels a pod's required node affinity can select on.</summary>
public sealed record NodeLabels(string Zone, PurchaseOption Capacity, string Family, CpuArchitecture Architecture);

/// <summary>A pod's required node affinity; null fields match any node.</summary>
public sealed record NodeRequirements(string? Zone = null, PurchaseOption? Capacity = null, IReadOnlyList<string>? Families = null, CpuArchitecture? Architecture = null)
{
    public bool Admits(NodeLabels labels) =>
        (Zone is null || Zone == labels.Zone)
        && (Capacity is null || Capacity == labels.Capacity)
        && (Families is null || Families.Contains(labels.Family, StringComparer.Ordinal))
        && (Architecture is null || Architecture == labels.Architecture);

    /// <summary>A value key: records compare lists by reference, pods of one workload share requirements by value.</summary>
    internal string Key => $"{Zone}|{Capacity}|{(Families is null ? "" : string.Join(',', Families))}|{Architecture}";
}

/// <summary>
/// One pod as the packer sees it: its requests (DaemonSet pods are not listed, see <see cref="NodeOverhead"/>), its
/// owner workload and the <c>spotoptimizer.io/do-not-disrupt</c> annotation (its node is never removed).
/// </summary>
public sealed record PodSpec(
    string Name,
    string Namespace,
    string Workload,
    int CpuMillicores,
    int MemoryMiB,
    int Priority = 0,
    NodeRequirements? Requirements = null,
    bool DoNotDisrupt = false)
{
    public Resources Requests => new(CpuMillicores, MemoryMiB, 1);
}

/// <summary>A PodDisruptionBudget over one workload: give one of the two, as Kubernetes asks.</summary>
public sealed record DisruptionBudget(int? MinAvailable = null, int? MaxUnavailable = null)
{
    /// <summary>Evictions allowed at once for a workload of <paramref name="replicas"/> healthy pods.</summary>
    public int AllowedEvictions(int replicas) => MaxUnavailable ?? Math.Max(0, replicas - (MinAvailable ?? 0));
}

/// <summary>
/// The scheduling rules of one workload: hostname-level pod anti-affinity (at most one replica per node), topology
/// spread over zones (<c>whenUnsatisfiable: DoNotSchedule</c>) and its PodDisruptionBudget.
/// </summary>
public sealed record WorkloadRules(string Namespace, string Workload, bool OneReplicaPerNode = false, int? ZoneMaxSkew = null, DisruptionBudget? Budget = null);

/// <summary>
/// A node of the cluster now: what it costs, what pods may use (kubelet's allocatable) and what runs on it. A
/// <paramref name="Pin"/> keeps it whatever the saving (it still takes other nodes' pods) and is reported as skipped.
/// </summary>
public sealed record ExistingNode(string Name, string InstanceType, NodeLabels Labels, double HourlyPrice, Resources Allocatable, IReadOnlyList<PodSpec> Pods, bool LaunchedByUs,
    NodePin? Pin = null);

/// <summary>Why a node must stay, as a stable code (<see cref="PackingReasons"/>) and a sentence saying so.</summary>
public sealed record NodePin(string Code, string Detail);

/// <summary>A node that can be bought: a catalog type in one zone at one capacity type's hourly price.</summary>
public sealed record NodeOffer(InstanceTypeInfo Type, string Zone, PurchaseOption Capacity, double HourlyPrice)
{
    public NodeLabels Labels => new(Zone, Capacity, Type.Family, Type.Architecture);

    public Resources Allocatable => new(Type.AllocatableCpuMillicores, Type.AllocatableMemoryMiB, Type.MaxPods);
}

/// <summary>The cluster's default node template: which catalog types new nodes may be (null = any).</summary>
public sealed record NodeTemplate(IReadOnlyList<string>? Families = null, IReadOnlyList<CpuArchitecture>? Architectures = null, int MinVCpu = 0, int MaxVCpu = int.MaxValue)
{
    public static NodeTemplate Any { get; } = new();

    public bool Allows(InstanceTypeInfo type) =>
        (Families is null || Families.Contains(type.Family, StringComparer.Ordinal))
        && (Architectures is null || Architectures.Contains(type.Architecture))
        && type.VCpu >= MinVCpu && type.VCpu <= MaxVCpu;
}

/// <summary>Spare capacity the cluster keeps after a plan, per resource: the larger of an absolute amount and a share of all pods' requests.</summary>
public sealed record Headroom(int CpuMillicores = 0, int MemoryMiB = 0, double ShareOfRequests = 0)
{
    public static Headroom None { get; } = new();

    internal (long Cpu, long Memory) Required(long requestedCpu, long requestedMemory) =>
        (Math.Max(CpuMillicores, (long)Math.Ceiling(ShareOfRequests * requestedCpu)), Math.Max(MemoryMiB, (long)Math.Ceiling(ShareOfRequests * requestedMemory)));
}

/// <summary>An action is proposed only if it saves at least <see cref="PerHour"/> dollars and <see cref="Percent"/> of the removed nodes' cost.</summary>
public sealed record MinimumSaving(double PerHour = 0, double Percent = 0);

/// <summary>
/// The cluster's bin-packing policy. <see cref="AggressivenessPercent"/> (20 conservative … 80 aggressive) is the
/// utilisation ceiling of a node the packer fills: requests, DaemonSets included, stay within that share of
/// allocatable CPU and memory (pod slots are not scaled).
/// </summary>
public sealed record PackingPolicy(int AggressivenessPercent = 60, Headroom? Headroom = null, MinimumSaving? MinSaving = null)
{
    public const int MinAggressiveness = 20;
    public const int MaxAggressiveness = 80;

    public Headroom Spare => Headroom ?? Packing.Headroom.None;

    public MinimumSaving Threshold => MinSaving ?? new MinimumSaving();

    /// <summary>What pods may request on a node of <paramref name="allocatable"/> under the ceiling, after the DaemonSets.</summary>
    public Resources Usable(Resources allocatable, Resources daemonSets)
    {
        if (AggressivenessPercent is < MinAggressiveness or > MaxAggressiveness)
        {
            throw new InvalidOperationException($"binpack aggressiveness is {MinAggressiveness}-{MaxAggressiveness} %, got {AggressivenessPercent}");
        }

        return new Resources(
            (int)((long)allocatable.CpuMillicores * AggressivenessPercent / 100) - daemonSets.CpuMillicores,
            (int)((long)allocatable.MemoryMiB * AggressivenessPercent / 100) - daemonSets.MemoryMiB,
            allocatable.Pods - daemonSets.Pods);
    }
}

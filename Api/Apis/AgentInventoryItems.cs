using System.Text.RegularExpressions;
using SpotOptimizer.Api.Http;
using SpotOptimizer.Grains.Interfaces.Clusters;

namespace SpotOptimizer.Api.Apis;

/// <summary>
/// The items of <see cref="AgentInventoryRequest"/>. Bounds are what a real EKS node or pod can be (the largest EC2
/// instances have 448 vCPUs and 24 TiB), so an absurd number is a broken agent, never a cluster we would mis-plan for.
/// </summary>
public sealed partial record InventoryNodeRequest(
    string? Name, string? InstanceId, string? InstanceType, string? AvailabilityZone, string? CapacityType, string? Nodegroup, string? NodePool,
    InventoryResourcesRequest? Allocatable, IReadOnlyList<string?>? Taints, IReadOnlyList<string?>? Conditions, DateTimeOffset? CreatedAt, bool? DoNotDisrupt) : IValidatableItem
{
    public void Validate(ValidationErrors errors, string at)
    {
        InventoryChecks.Text(errors, $"{at}.name", Name, 253);
        if (InventoryChecks.Text(errors, $"{at}.instance_id", InstanceId, 19) && !InstanceIdPattern().IsMatch(InstanceId!))
        {
            errors.Add($"{at}.instance_id", "must be an EC2 instance id (i- and 8 or 17 hex digits).");
        }

        InventoryChecks.Text(errors, $"{at}.instance_type", InstanceType, 64);
        InventoryChecks.Text(errors, $"{at}.availability_zone", AvailabilityZone, 64);
        InventoryChecks.CapacityType(errors, $"{at}.capacity_type", CapacityType, required: true);
        InventoryChecks.Text(errors, $"{at}.nodegroup", Nodegroup, 63, required: false);
        InventoryChecks.Text(errors, $"{at}.node_pool", NodePool, 253, required: false);
        if (Allocatable is null) errors.Add($"{at}.allocatable", "is required.");
        else Allocatable.Validate(errors, $"{at}.allocatable");
        InventoryChecks.Texts(errors, $"{at}.taints", Taints, 64, 400);
        InventoryChecks.Texts(errors, $"{at}.conditions", Conditions, 32, 64);
        if (CreatedAt is null) errors.Add($"{at}.created_at", "is required.");
    }

    public InventoryNode ToNode() => new(Name!, InstanceId!, InstanceType!, AvailabilityZone!, CapacityType!, Nodegroup, NodePool,
        Allocatable!.ToResources(), [.. (Taints ?? []).Select(t => t!)], [.. (Conditions ?? []).Select(c => c!)], CreatedAt!.Value, DoNotDisrupt ?? false);

    [GeneratedRegex("^i-([0-9a-f]{8}|[0-9a-f]{17})$")]
    private static partial Regex InstanceIdPattern();
}

public sealed record InventoryPodRequest(
    string? Name, string? Namespace, string? Workload, string? OwnerKind, string? Node, int? CpuRequestMillicores, int? MemoryRequestMib,
    int? CpuLimitMillicores, int? MemoryLimitMib, int? Priority, bool? DoNotDisrupt, string? ZoneAffinity, string? CapacityTypeAffinity) : IValidatableItem
{
    public void Validate(ValidationErrors errors, string at)
    {
        InventoryChecks.Text(errors, $"{at}.name", Name, 253);
        InventoryChecks.Text(errors, $"{at}.namespace", Namespace, 63);
        InventoryChecks.Text(errors, $"{at}.workload", Workload, 253);
        InventoryChecks.Text(errors, $"{at}.owner_kind", OwnerKind, 63);
        InventoryChecks.Text(errors, $"{at}.node", Node, 253, required: false);
        var cpu = InventoryChecks.Range(errors, $"{at}.cpu_request_millicores", CpuRequestMillicores, InventoryChecks.MaxMillicores);
        var memory = InventoryChecks.Range(errors, $"{at}.memory_request_mib", MemoryRequestMib, InventoryChecks.MaxMib);
        // Kubernetes refuses a limit below its request; a report with one was not read from a real pod.
        if (CpuLimitMillicores is { } cpuLimit && InventoryChecks.Range(errors, $"{at}.cpu_limit_millicores", cpuLimit, InventoryChecks.MaxMillicores) && cpu && cpuLimit < CpuRequestMillicores)
        {
            errors.Add($"{at}.cpu_limit_millicores", "must not be below cpu_request_millicores.");
        }

        if (MemoryLimitMib is { } memoryLimit && InventoryChecks.Range(errors, $"{at}.memory_limit_mib", memoryLimit, InventoryChecks.MaxMib) && memory && memoryLimit < MemoryRequestMib)
        {
            errors.Add($"{at}.memory_limit_mib", "must not be below memory_request_mib.");
        }

        if (Priority is null) errors.Add($"{at}.priority", "is required.");
        else if (Priority > 2_000_001_000) errors.Add($"{at}.priority", "must be at most 2000001000 (system-node-critical).");
        InventoryChecks.Text(errors, $"{at}.zone_affinity", ZoneAffinity, 64, required: false);
        InventoryChecks.CapacityType(errors, $"{at}.capacity_type_affinity", CapacityTypeAffinity, required: false);
    }

    public InventoryPod ToPod() => new(Name!, Namespace!, Workload!, OwnerKind!, Node, CpuRequestMillicores!.Value, MemoryRequestMib!.Value,
        CpuLimitMillicores, MemoryLimitMib, Priority!.Value, DoNotDisrupt ?? false, ZoneAffinity, CapacityTypeAffinity);
}

public sealed record InventoryWorkloadRequest(
    string? Namespace, string? Name, string? Kind, int? Replicas, bool? OneReplicaPerNode, int? ZoneMaxSkew,
    int? PdbMinAvailable, int? PdbMaxUnavailable, WorkloadUsageRequest? Usage) : IValidatableItem
{
    public void Validate(ValidationErrors errors, string at)
    {
        InventoryChecks.Text(errors, $"{at}.namespace", Namespace, 63);
        InventoryChecks.Text(errors, $"{at}.name", Name, 253);
        InventoryChecks.Text(errors, $"{at}.kind", Kind, 63);
        InventoryChecks.Range(errors, $"{at}.replicas", Replicas, 100_000);
        if (ZoneMaxSkew is not null) InventoryChecks.Range(errors, $"{at}.zone_max_skew", ZoneMaxSkew, 100, min: 1);
        if (PdbMinAvailable is not null) InventoryChecks.Range(errors, $"{at}.pdb_min_available", PdbMinAvailable, 100_000);
        if (PdbMaxUnavailable is not null) InventoryChecks.Range(errors, $"{at}.pdb_max_unavailable", PdbMaxUnavailable, 100_000);
        // A PodDisruptionBudget has one or the other (the API server refuses both).
        if (PdbMinAvailable is not null && PdbMaxUnavailable is not null) errors.Add($"{at}.pdb_max_unavailable", "must not be given with pdb_min_available.");
        Usage?.Validate(errors, $"{at}.usage");
    }

    public InventoryWorkload ToWorkload() => new(Namespace!, Name!, Kind!, Replicas!.Value, OneReplicaPerNode ?? false, ZoneMaxSkew,
        PdbMinAvailable, PdbMaxUnavailable, Usage?.ToUsage());
}

public sealed record WorkloadUsageRequest(
    double? WindowDays, string? Source, int? CpuP50Millicores, int? CpuP95Millicores, int? CpuP99Millicores,
    int? MemoryP50Mib, int? MemoryP95Mib, int? MemoryP99Mib) : IValidatableItem
{
    public static readonly string[] Sources = ["metrics-server", "prometheus"];

    public void Validate(ValidationErrors errors, string at)
    {
        if (WindowDays is not (> 0 and <= 90)) errors.Add($"{at}.window_days", "must be more than 0 and at most 90.");
        if (errors.Required($"{at}.source", Source) && !Sources.Contains(Source)) errors.Add($"{at}.source", $"must be one of {string.Join(", ", Sources)}.");
        var cpu = new[] { ("cpu_p50_millicores", CpuP50Millicores), ("cpu_p95_millicores", CpuP95Millicores), ("cpu_p99_millicores", CpuP99Millicores) };
        var memory = new[] { ("memory_p50_mib", MemoryP50Mib), ("memory_p95_mib", MemoryP95Mib), ("memory_p99_mib", MemoryP99Mib) };
        Percentiles(errors, at, cpu, InventoryChecks.MaxMillicores);
        Percentiles(errors, at, memory, InventoryChecks.MaxMib);
    }

    public WorkloadUsage ToUsage() => new(WindowDays!.Value, Source!, CpuP50Millicores!.Value, CpuP95Millicores!.Value, CpuP99Millicores!.Value,
        MemoryP50Mib!.Value, MemoryP95Mib!.Value, MemoryP99Mib!.Value);

    /// <summary>p50 ≤ p95 ≤ p99: anything else is not a distribution, and right-sizing would recommend from noise.</summary>
    private static void Percentiles(ValidationErrors errors, string at, (string Field, int? Value)[] ordered, int max)
    {
        var valid = ordered.Select(p => InventoryChecks.Range(errors, $"{at}.{p.Field}", p.Value, max)).ToList();
        for (var i = 1; i < ordered.Length; i++)
        {
            if (valid[i - 1] && valid[i] && ordered[i].Value < ordered[i - 1].Value)
            {
                errors.Add($"{at}.{ordered[i].Field}", $"must not be below {ordered[i - 1].Field} (p50 ≤ p95 ≤ p99).");
            }
        }
    }
}

public sealed record InventoryResourcesRequest(int? CpuMillicores, int? MemoryMib, int? Pods) : IValidatableItem
{
    public void Validate(ValidationErrors errors, string at)
    {
        InventoryChecks.Range(errors, $"{at}.cpu_millicores", CpuMillicores, InventoryChecks.MaxMillicores);
        InventoryChecks.Range(errors, $"{at}.memory_mib", MemoryMib, InventoryChecks.MaxMib);
        InventoryChecks.Range(errors, $"{at}.pods", Pods, 2_000);
    }

    public InventoryResources ToResources() => new(CpuMillicores!.Value, MemoryMib!.Value, Pods!.Value);
}

using k8s.Models;

namespace SpotOptimizer.Agent.Inventory;

/// <summary>A Kubernetes node as the platform sees it: the EC2 instance behind it and what it offers the scheduler.</summary>
public static class NodeMapper
{
    public const string DoNotDisruptAnnotation = "spotoptimizer.io/do-not-disrupt";

    /// <summary>A condition whose True status means trouble; Ready is the one whose False (or Unknown) does.</summary>
    private static readonly string[] PressureConditions = ["MemoryPressure", "DiskPressure", "PIDPressure", "NetworkUnavailable"];

    /// <summary>Taints read as kubectl prints them: <c>key=value:Effect</c>, or <c>key:Effect</c> without a value.</summary>
    /// <returns>Null for a node that is not an EC2 instance (no <c>aws://</c> provider id): the platform cannot act on it.</returns>
    public static ReportedNode? Map(V1Node node)
    {
        var labels = node.Metadata.Labels ?? new Dictionary<string, string>();
        if (InstanceId(node.Spec?.ProviderID) is not { } instanceId) return null;
        var allocatable = node.Status?.Allocatable;
        return new ReportedNode(
            node.Metadata.Name,
            instanceId,
            Label(labels, "node.kubernetes.io/instance-type") ?? Label(labels, "beta.kubernetes.io/instance-type") ?? "unknown",
            Label(labels, "topology.kubernetes.io/zone") ?? Label(labels, "failure-domain.beta.kubernetes.io/zone") ?? Zone(node.Spec!.ProviderID!) ?? "unknown",
            CapacityType(labels),
            Label(labels, "eks.amazonaws.com/nodegroup"),
            Label(labels, "karpenter.sh/nodepool"),
            new ReportedResources(
                Quantities.Millicores(Quantities.Find(allocatable, "cpu")),
                Quantities.MiBFloor(Quantities.Find(allocatable, "memory")),
                Quantities.Count(Quantities.Find(allocatable, "pods"))),
            [.. (node.Spec?.Taints ?? []).Select(t => string.IsNullOrEmpty(t.Value) ? $"{t.Key}:{t.Effect}" : $"{t.Key}={t.Value}:{t.Effect}")],
            UnhealthyConditions(node.Status?.Conditions),
            node.Metadata.CreationTimestamp is { } created ? new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc)) : DateTimeOffset.UnixEpoch,
            IsMarked(node.Metadata.Annotations));
    }

    /// <summary><c>aws:///us-east-1a/i-0abc…</c> → <c>i-0abc…</c>.</summary>
    public static string? InstanceId(string? providerId) =>
        providerId is not null && providerId.StartsWith("aws://", StringComparison.Ordinal) && providerId[(providerId.LastIndexOf('/') + 1)..] is { } id
            && id.StartsWith("i-", StringComparison.Ordinal) ? id : null;

    /// <summary>Karpenter says "on-demand", EKS managed node groups "ON_DEMAND" / "SPOT"; the platform says "on_demand" / "spot".</summary>
    public static string CapacityType(IDictionary<string, string> labels) =>
        (Label(labels, "karpenter.sh/capacity-type") ?? Label(labels, "eks.amazonaws.com/capacityType"))?.ToUpperInvariant() switch
        {
            "SPOT" => "spot",
            _ => "on_demand",
        };

    public static bool IsMarked(IDictionary<string, string>? annotations) =>
        annotations is not null && annotations.TryGetValue(DoNotDisruptAnnotation, out var value) && string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);

    private static List<string> UnhealthyConditions(IList<V1NodeCondition>? conditions) =>
        [.. (conditions ?? []).Select(c => c.Type == "Ready"
                ? c.Status == "True" ? null : "NotReady"
                : PressureConditions.Contains(c.Type) && c.Status == "True" ? c.Type : null)
            .OfType<string>()];

    private static string? Zone(string providerId) =>
        providerId.Split('/', StringSplitOptions.RemoveEmptyEntries) is { Length: >= 3 } parts ? parts[^2] : null;

    private static string? Label(IDictionary<string, string> labels, string key) => labels.TryGetValue(key, out var value) && value.Length > 0 ? value : null;
}

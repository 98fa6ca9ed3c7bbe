using SpotOptimizer.Api.Http;
using SpotOptimizer.Grains.Interfaces.Clusters;

namespace SpotOptimizer.Api.Apis;

/// <summary>
/// The body of <c>POST /api/agent/inventory</c> as the agent sends it (snake_case), checked in full before anything is
/// stored: field errors answer 400 <c>validation_failed</c> naming the path (<c>pods[12].cpu_request_millicores</c>),
/// and a report that contradicts itself answers its own code (<see cref="Inconsistency"/>).
/// </summary>
public sealed record AgentInventoryRequest(
    string? AgentVersion,
    IReadOnlyList<InventoryNodeRequest?>? Nodes,
    IReadOnlyList<InventoryPodRequest?>? Pods,
    IReadOnlyList<InventoryWorkloadRequest?>? Workloads,
    InventoryResourcesRequest? DaemonsetOverhead) : IValidatable
{
    /// <summary>Room for <see cref="MaxPods"/> pods at about 300 bytes each, plus the nodes.</summary>
    public const long MaxBytes = 64L * 1024 * 1024;

    public const int MaxNodes = 5_000;
    public const int MaxPods = 150_000;
    public const int MaxWorkloads = 50_000;

    /// <summary>Beyond this many bad items a list is not checked further: the answer names enough to fix the agent.</summary>
    private const int MaxBadItems = 20;

    public void Validate(ValidationErrors errors)
    {
        if (errors.Required("agent_version", AgentVersion) && AgentVersion!.Length > 64) errors.Add("agent_version", "must be at most 64 characters.");
        Each(errors, "nodes", Nodes, MaxNodes, (node, at) => node.Validate(errors, at));
        Each(errors, "pods", Pods, MaxPods, (pod, at) => pod.Validate(errors, at));
        Each(errors, "workloads", Workloads, MaxWorkloads, (workload, at) => workload.Validate(errors, at));
        if (DaemonsetOverhead is null) errors.Add("daemonset_overhead", "is required.");
        else DaemonsetOverhead.Validate(errors, "daemonset_overhead");
    }

    /// <summary>
    /// What field checks cannot see: <c>duplicate_node</c>, <c>duplicate_instance</c>, <c>unknown_node</c> (a pod on a node
    /// the report does not list), <c>duplicate_pod</c>, <c>duplicate_workload</c>. Null when the report is coherent.
    /// </summary>
    public (string Code, string Detail)? Inconsistency()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var instances = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in Nodes!)
        {
            if (!names.Add(node!.Name!)) return ("duplicate_node", $"Node '{node.Name}' is listed twice.");
            if (!instances.Add(node.InstanceId!)) return ("duplicate_instance", $"Instance {node.InstanceId} is listed for two nodes.");
        }

        var pods = new HashSet<(string, string)>();
        foreach (var pod in Pods!)
        {
            if (pod!.Node is { } node && !names.Contains(node)) return ("unknown_node", $"Pod {pod.Namespace}/{pod.Name} runs on '{node}', which is not among the reported nodes.");
            if (!pods.Add((pod.Namespace!, pod.Name!))) return ("duplicate_pod", $"Pod {pod.Namespace}/{pod.Name} is listed twice.");
        }

        var workloads = new HashSet<(string, string, string)>();
        foreach (var workload in Workloads!)
        {
            if (!workloads.Add((workload!.Namespace!, workload.Kind!, workload.Name!)))
            {
                return ("duplicate_workload", $"{workload.Kind} {workload.Namespace}/{workload.Name} is listed twice.");
            }
        }

        return null;
    }

    public AgentInventory ToInventory() => new(
        [.. Nodes!.Select(n => n!.ToNode())],
        [.. Pods!.Select(p => p!.ToPod())],
        [.. Workloads!.Select(w => w!.ToWorkload())],
        DaemonsetOverhead!.ToResources());

    private static void Each<T>(ValidationErrors errors, string field, IReadOnlyList<T?>? items, int max, Action<T, string> validate)
        where T : class
    {
        if (items is null)
        {
            errors.Add(field, "is required.");
            return;
        }

        if (items.Count > max)
        {
            errors.Add(field, $"must list at most {max} items.");
            return;
        }

        var bad = 0;
        for (var i = 0; i < items.Count && bad < MaxBadItems; i++)
        {
            var at = $"{field}[{i}]";
            var before = errors.Count;
            if (items[i] is { } item) validate(item, at);
            else errors.Add(at, "must be an object.");
            if (errors.Count != before) bad++;
        }
    }
}

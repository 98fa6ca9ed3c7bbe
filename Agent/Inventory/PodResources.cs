using k8s.Models;

namespace SpotOptimizer.Agent.Inventory;

/// <summary>
/// What a pod takes from its node, by the scheduler's rule: the app containers and sidecars (restartable init
/// containers) add up; a plain init container runs alone (beside the sidecars started before it), so the pod needs
/// the larger of the two; the RuntimeClass overhead comes on top.
/// </summary>
public static class PodResources
{
    public readonly record struct Amount(int CpuMillicores, int MemoryMiB);

    public static Amount Requests(V1PodSpec spec) => Effective(spec, c => c.Resources?.Requests)!.Value;

    /// <summary>Null when any container has no limit for the resource: the pod is then unbounded there.</summary>
    public static (int? CpuMillicores, int? MemoryMiB) Limits(V1PodSpec spec) =>
        (Effective(spec, c => c.Resources?.Limits, "cpu")?.CpuMillicores, Effective(spec, c => c.Resources?.Limits, "memory")?.MemoryMiB);

    private static Amount? Effective(V1PodSpec spec, Func<V1Container, IDictionary<string, ResourceQuantity>?> of, string? required = null)
    {
        var containers = spec.Containers ?? [];
        var inits = spec.InitContainers ?? [];
        if (required is not null && containers.Concat(inits).Any(c => Quantities.Find(of(c), required) is null)) return null;

        var running = containers.Aggregate(new Amount(0, 0), (sum, c) => Add(sum, Of(of(c))));
        var sidecars = new Amount(0, 0);
        var initPeak = new Amount(0, 0);
        foreach (var init in inits)
        {
            var amount = Of(of(init));
            if (init.RestartPolicy == "Always")
            {
                sidecars = Add(sidecars, amount);
            }
            else
            {
                var during = Add(sidecars, amount);
                initPeak = new Amount(Math.Max(initPeak.CpuMillicores, during.CpuMillicores), Math.Max(initPeak.MemoryMiB, during.MemoryMiB));
            }
        }

        var steady = Add(running, sidecars);
        var peak = new Amount(Math.Max(steady.CpuMillicores, initPeak.CpuMillicores), Math.Max(steady.MemoryMiB, initPeak.MemoryMiB));
        return Add(peak, Of(spec.Overhead));
    }

    private static Amount Of(IDictionary<string, ResourceQuantity>? resources) =>
        new(Quantities.Millicores(Quantities.Find(resources, "cpu")), Quantities.MiB(Quantities.Find(resources, "memory")));

    private static Amount Add(Amount a, Amount b) => new(a.CpuMillicores + b.CpuMillicores, a.MemoryMiB + b.MemoryMiB);
}

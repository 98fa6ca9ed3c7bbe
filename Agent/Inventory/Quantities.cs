using k8s.Models;

namespace SpotOptimizer.Agent.Inventory;

/// <summary>Kubernetes quantities ("1500m", "3.5", "2Gi", "512M") in the units the platform counts: millicores and MiB.</summary>
public static class Quantities
{
    private const decimal Mebibyte = 1024m * 1024m;

    /// <summary>Rounded up: a pod asking for 0.1m still takes a millicore from the scheduler's point of view.</summary>
    public static int Millicores(ResourceQuantity? quantity) =>
        quantity is null ? 0 : (int)Math.Min(int.MaxValue, Math.Ceiling(quantity.ToDecimal() * 1000m));

    /// <summary>Rounded up, so a request in decimal megabytes is never under-counted.</summary>
    public static int MiB(ResourceQuantity? quantity) =>
        quantity is null ? 0 : (int)Math.Min(int.MaxValue, Math.Ceiling(quantity.ToDecimal() / Mebibyte));

    /// <summary>Allocatable memory rounds down: what the node offers is never over-stated.</summary>
    public static int MiBFloor(ResourceQuantity? quantity) =>
        quantity is null ? 0 : (int)Math.Min(int.MaxValue, Math.Floor(quantity.ToDecimal() / Mebibyte));

    public static int Count(ResourceQuantity? quantity) =>
        quantity is null ? 0 : (int)Math.Min(int.MaxValue, Math.Floor(quantity.ToDecimal()));

    public static ResourceQuantity? Find(IDictionary<string, ResourceQuantity>? resources, string name) =>
        resources is not null && resources.TryGetValue(name, out var value) ? value : null;
}

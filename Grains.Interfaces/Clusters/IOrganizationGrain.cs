using Orleans;
using Orleans.Concurrency;

namespace SpotOptimizer.Grains.Interfaces.Clusters;

/// <summary>An organization's index of managed clusters, so listing them is one call, not a scan.</summary>
public interface IOrganizationGrain : IGrainWithStringKey
{
    Task AddManagedCluster(string clusterId);

    Task RemoveManagedCluster(string clusterId);

    [ReadOnly]
    Task<IReadOnlyList<string>> GetManagedClusters();
}

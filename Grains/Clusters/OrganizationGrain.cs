using SpotOptimizer.Grains.Interfaces.Clusters;
using Orleans;
using Orleans.Runtime;

namespace SpotOptimizer.Grains.Clusters;

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed class OrganizationState
{
    public List<string> ManagedClusters { get; set; } = [];
}

public sealed class OrganizationGrain([PersistentState("organization")] IPersistentState<OrganizationState> state) : Grain, IOrganizationGrain
{
    public async Task AddManagedCluster(string clusterId)
    {
        if (state.State.ManagedClusters.Contains(clusterId)) return;
        state.State.ManagedClusters.Add(clusterId);
        await state.WriteStateAsync();
    }

    public async Task RemoveManagedCluster(string clusterId)
    {
        if (!state.State.ManagedClusters.Remove(clusterId)) return;
        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<string>> GetManagedClusters() => Task.FromResult<IReadOnlyList<string>>([.. state.State.ManagedClusters]);
}

using Orleans;
using Orleans.Runtime;
using SpotOptimizer.Grains.Interfaces.Lab;

namespace SpotOptimizer.Grains.Lab;

/// <summary>
/// The Lab's index of experiments (one grain: experiments are few and started by hand). It also answers which nodes
/// running experiments hold, so the optimize loop never replaces a node out from under an A/B test.
/// </summary>
public sealed class LabDirectoryGrain([PersistentState("lab-directory")] IPersistentState<LabDirectoryState> state) : Grain, ILabDirectoryGrain
{
    /// <summary>Finished experiments beyond this many drop out of the index (their grains and ledger entries stay).</summary>
    public const int MaxListed = 500;

    public async Task Register(ExperimentSummary summary)
    {
        state.State.Experiments.RemoveAll(e => e.Id == summary.Id);
        state.State.Experiments.Insert(0, summary);
        var finished = state.State.Experiments.Where(e => ExperimentStatus.IsFinished(e.Status)).Skip(MaxListed).ToHashSet();
        state.State.Experiments.RemoveAll(finished.Contains);
        await state.WriteStateAsync();
    }

    public async Task Update(ExperimentSummary summary)
    {
        var index = state.State.Experiments.FindIndex(e => e.Id == summary.Id);
        if (index < 0) state.State.Experiments.Insert(0, summary);
        else state.State.Experiments[index] = summary;
        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<ExperimentSummary>> List() => Task.FromResult<IReadOnlyList<ExperimentSummary>>([.. state.State.Experiments]);

    public Task<IReadOnlySet<string>> HeldIn(string clusterId) => Task.FromResult<IReadOnlySet<string>>(
        state.State.Experiments.Where(e => e.ClusterId == clusterId && !ExperimentStatus.IsFinished(e.Status))
            .SelectMany(e => e.HeldInstances).ToHashSet(StringComparer.Ordinal));
}

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed class LabDirectoryState
{
    public List<ExperimentSummary> Experiments { get; set; } = [];
}

using Orleans;
using SpotOptimizer.Grains.Interfaces.Clusters;

namespace SpotOptimizer.Grains.Clusters;

/// <summary>
/// The agent's command queue, kept apart from <see cref="ClusterState"/> so commands and their results (written at
/// the agent's pace) never rewrite the cluster's settings. Persisted: a silo restart keeps pending commands pending
/// and finished ones answerable (an agent re-posting a result, a job resuming its drain).
/// </summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed class ClusterCommandsState
{
    /// <summary>Commands waiting for a result, oldest first.</summary>
    public List<AgentCommandRecord> Pending { get; set; } = [];

    /// <summary>The last <see cref="ClusterGrain.FinishedCommandsKept"/> finished commands, oldest first.</summary>
    public List<AgentCommandRecord> Finished { get; set; } = [];

    /// <summary>Set while the agent reports being in safe mode.</summary>
    public AgentSafeModeView? SafeMode { get; set; }
}

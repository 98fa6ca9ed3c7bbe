namespace SpotOptimizer.Cloud.Simulation;

/// <summary>
/// The table of <see cref="AdoSimulatedWorldStore"/>: numbered scripts embedded as
/// <c>{ResourcePrefix}{dialect}.NNN_description.sql</c> (dialect <c>sqlite</c> or <c>postgres</c>), for the host's
/// schema migrator to apply before the simulator's first call.
/// </summary>
public static class SimulatedWorldSchema
{
    /// <summary>The schema module's name; the migrator records its version in <c>{Module}_schema_version</c>.</summary>
    public const string Module = "simulated_world";

    public const string ResourcePrefix = "SpotOptimizer.Cloud.Simulation.Schema.";
}

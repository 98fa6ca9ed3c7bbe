namespace SpotOptimizer.Cloud.Simulation;

/// <summary>
/// Where the simulated AWS keeps what it remembers, so that it is one cloud for every process of a deployment and
/// outlives them: <see cref="InMemorySimulatedWorldStore"/> for tests and a host without a database,
/// <see cref="AdoSimulatedWorldStore"/> for the deployment's database.
/// </summary>
public interface ISimulatedWorldStore
{
    /// <summary>The seed of the world it holds; each process also seeds its market and fault draws from it.</summary>
    int Seed { get; }

    /// <summary>The current snapshot: the same instance again while nobody changed it, so reading often is cheap.</summary>
    Task<SimulatedWorldSnapshot> ReadAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Applies <paramref name="change"/> to the current snapshot and stores what it returns as the next version (the
    /// store numbers it), atomically with respect to every other writer, other processes included. When another writer
    /// was first, the change runs again on that writer's result, so it must have no effect besides its return value.
    /// Returning the given snapshot stores nothing; an exception stores nothing and propagates.
    /// </summary>
    Task<T> UpdateAsync<T>(Func<SimulatedWorldSnapshot, (SimulatedWorldSnapshot Next, T Result)> change, CancellationToken cancellationToken);
}

namespace SpotOptimizer.Cloud.Simulation;

/// <summary>The world in this process only: what tests and a host without a database use. Changes are serialized by a lock.</summary>
public sealed class InMemorySimulatedWorldStore(SimulatedWorld world) : ISimulatedWorldStore
{
    private readonly Lock _write = new();
    private SimulatedWorldSnapshot _current = SimulatedWorldSnapshot.Initial(world);

    public int Seed { get; } = world.Seed;

    public Task<SimulatedWorldSnapshot> ReadAsync(CancellationToken cancellationToken) => Task.FromResult(Volatile.Read(ref _current));

    public Task<T> UpdateAsync<T>(Func<SimulatedWorldSnapshot, (SimulatedWorldSnapshot Next, T Result)> change, CancellationToken cancellationToken)
    {
        lock (_write)
        {
            var (next, result) = change(_current);
            if (!ReferenceEquals(next, _current)) Volatile.Write(ref _current, next with { Version = _current.Version + 1 });
            return Task.FromResult(result);
        }
    }
}

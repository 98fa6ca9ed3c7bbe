using SpotOptimizer.Runtime;

namespace SpotOptimizer.Runtime.Tests.Grains;

public interface IGateGrain : IGrainWithStringKey
{
    /// <summary>Holds the grain's turn until the test opens the gate.</summary>
    Task Pass();
}

/// <summary>A DI singleton the test opens, so calls pile up in one grain's mailbox for as long as the test wants.</summary>
public sealed class Gate
{
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Opened => _open.Task;

    public void Open() => _open.TrySetResult();
}

public sealed class GateGrain(Gate gate) : Grain, IGateGrain
{
    public Task Pass() => gate.Opened;
}

using SpotOptimizer.Runtime;

namespace SpotOptimizer.Runtime.Tests.Grains;

public interface ITimerGrain : IGrainWithStringKey
{
    Task Start(TimeSpan period);

    Task<int> GetTicks();

    /// <summary>True when a tick ever ran while another turn of this grain was running.</summary>
    Task<bool> SawOverlap();

    Task Deactivate();

    Task<int> Work();
}

public sealed class TimerGrain(TickCounter counter) : Grain, ITimerGrain
{
    private int _inTurn;
    private bool _overlap;

    public Task Start(TimeSpan period)
    {
        RegisterGrainTimer(OnTick, period, period);
        return Task.CompletedTask;
    }

    public Task<int> GetTicks() => Task.FromResult(counter.Ticks);

    public Task<bool> SawOverlap() => Task.FromResult(_overlap);

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public async Task<int> Work()
    {
        if (Interlocked.Exchange(ref _inTurn, 1) == 1) _overlap = true;
        await Task.Delay(5);
        Interlocked.Exchange(ref _inTurn, 0);
        return counter.Ticks;
    }

    private async Task OnTick(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _inTurn, 1) == 1) _overlap = true;
        await Task.Yield();
        counter.Increment();
        Interlocked.Exchange(ref _inTurn, 0);
    }
}

/// <summary>Survives the activation, so a test can see ticks stop after deactivation.</summary>
public sealed class TickCounter
{
    private int _ticks;

    public int Ticks => Volatile.Read(ref _ticks);

    public void Increment() => Interlocked.Increment(ref _ticks);
}

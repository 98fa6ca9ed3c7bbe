using SpotOptimizer.Runtime.Tests.Grains;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Runtime.Tests;

/// <summary>Activation lifetime on a manual clock: idle collection and activation-bound timers.</summary>
public sealed class LifecycleTests : IAsyncLifetime
{
    private readonly ManualTimeProvider _clock = new();
    private readonly ActivationJournal _journal = new();
    private readonly TickCounter _ticks = new();
    private TestSilo _silo = null!;

    public async Task InitializeAsync() =>
        _silo = await TestSilo.StartAsync(r => r.UseInMemoryStorage(), typeof(CounterGrain).Assembly,
            o =>
            {
                o.CollectionAge = TimeSpan.FromMinutes(10);
                o.CollectionQuantum = TimeSpan.FromMinutes(1);
            },
            _clock,
            s => s.AddSingleton(_journal).AddSingleton(_ticks));

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task IdleCollection_UsedWithinAge_StaysActive_IdlePastAge_DeactivatesAndKeepsState()
    {
        var id = new GrainId("persistentcounter", "idle");
        var counter = _silo.Grains.GetGrain<IPersistentCounterGrain>("idle");
        await counter.Set(5);

        _clock.Advance(TimeSpan.FromMinutes(6));
        await counter.GetCount();
        _clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(0, _journal.Count(id, "deactivate:IdleCollection"));

        _clock.Advance(TimeSpan.FromMinutes(11));
        await Eventually.Wait(() => _journal.Count(id, "deactivate:IdleCollection"), n => n == 1, what: "idle collection");

        Assert.Equal(5, await counter.GetCount());
        Assert.Equal(2, _journal.Count(id, "activate"));
    }

    [Fact]
    public async Task GrainTimer_Ticking_RunsAsTurnsThatNeverOverlapCalls()
    {
        var grain = _silo.Grains.GetGrain<ITimerGrain>("overlap");
        await grain.Start(TimeSpan.FromSeconds(1));

        for (var i = 0; i < 20; i++)
        {
            var work = Task.WhenAll(Enumerable.Range(0, 3).Select(_ => grain.Work()));
            _clock.Advance(TimeSpan.FromSeconds(1));
            await work;
        }

        await Eventually.Wait(() => _ticks.Ticks, n => n >= 10, what: "timer ticks");
        Assert.False(await grain.SawOverlap());
    }

    [Fact]
    public async Task GrainTimer_ActivationDeactivated_StopsTicking()
    {
        var grain = _silo.Grains.GetGrain<ITimerGrain>("stops");
        await grain.Start(TimeSpan.FromSeconds(1));
        _clock.Advance(TimeSpan.FromSeconds(1));
        var before = await Eventually.Wait(() => _ticks.Ticks, n => n >= 1, what: "first tick");

        await grain.Deactivate();
        await Eventually.Wait(() => _silo.Services.GetRequiredService<IGrainRuntimeStatistics>().GetStatistics().Activations, n => n == 0,
            what: "deactivation");
        for (var i = 0; i < 5; i++) _clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(before, _ticks.Ticks);
    }
}

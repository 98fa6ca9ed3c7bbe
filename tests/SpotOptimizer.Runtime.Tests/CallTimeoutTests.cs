using SpotOptimizer.Runtime.Tests.Grains;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Runtime.Tests;

/// <summary>Deadlocks must surface as a clear timeout, so these run on a silo with a short call timeout.</summary>
public sealed class CallTimeoutTests : IAsyncLifetime
{
    private TestSilo _silo = null!;

    public async Task InitializeAsync() =>
        _silo = await TestSilo.StartAsync(r => r.UseInMemoryStorage(), typeof(CounterGrain).Assembly,
            o =>
            {
                o.CallTimeout = TimeSpan.FromMilliseconds(500);
                // The deliberately stuck grains never finish their turn, so shutdown gives up on them quickly.
                o.DeactivationTimeout = TimeSpan.FromMilliseconds(200);
            },
            services: s => s.AddSingleton<ActivationJournal>().AddSingleton<TickCounter>());

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task MeetAsWriter_CallsThatMayWrite_NeverRunTogether()
    {
        var grain = _silo.Grains.GetGrain<IRendezvousGrain>("writers");
        var calls = Enumerable.Range(0, 2).Select(_ => Task.Run(() => grain.MeetAsWriter(2))).ToArray();
        await Assert.ThrowsAsync<TimeoutException>(() => Task.WhenAll(calls));
    }

    [Fact]
    public async Task CallThroughPeer_CycleOnNonReentrantGrains_TimesOutNamingGrainAndMethod()
    {
        var a = _silo.Grains.GetGrain<ICycleGrain>("a");
        var error = await Assert.ThrowsAsync<TimeoutException>(() => a.CallThroughPeer("b", interleavedCallback: false));
        Assert.Contains("ICycleGrain.", error.Message, StringComparison.Ordinal);
        Assert.Matches("cycle/[ab]", error.Message);
    }

}

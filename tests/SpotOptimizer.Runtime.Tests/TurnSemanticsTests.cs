using SpotOptimizer.Runtime.Tests.Grains;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Runtime.Tests;

public sealed class TurnSemanticsTests : IAsyncLifetime
{
    private TestSilo _silo = null!;

    public async Task InitializeAsync() =>
        _silo = await TestSilo.StartAsync(r => r.UseInMemoryStorage(), typeof(CounterGrain).Assembly,
            options: null,
            services: s => s.AddSingleton<ActivationJournal>().AddSingleton<TickCounter>());

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task Increment_ThousandConcurrentCalls_NoLostUpdate()
    {
        var counter = _silo.Grains.GetGrain<ICounterGrain>("concurrent");
        var results = await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ => Task.Run(counter.Increment)));

        Assert.Equal(1000, await counter.GetCount());
        Assert.Equal(Enumerable.Range(1, 1000), results.Order());
    }

    [Fact]
    public async Task Append_ManyCallersConcurrently_EachCallersOrderIsKept()
    {
        var grain = _silo.Grains.GetGrain<ISequenceGrain>("fifo");
        await Task.WhenAll(Enumerable.Range(0, 8).Select(caller => Task.Run(() =>
            Task.WhenAll(Enumerable.Range(0, 200).Select(sequence => grain.Append(caller, sequence)).ToArray()))));

        var entries = await grain.GetEntries();
        Assert.Equal(1600, entries.Count);
        foreach (var perCaller in entries.GroupBy(e => e.Caller))
        {
            Assert.Equal(Enumerable.Range(0, 200), perCaller.Select(e => e.Sequence));
        }
    }

    [Fact]
    public async Task MeetAsReader_ReadOnlyCallsAtOnce_RunTogether()
    {
        var grain = _silo.Grains.GetGrain<IRendezvousGrain>("readers");
        var arrivals = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => grain.MeetAsReader(3))));
        Assert.Equal([1, 2, 3], arrivals.Order());
    }

    [Fact]
    public async Task CallThroughPeer_CallbackIsAlwaysInterleave_Completes()
    {
        var a = _silo.Grains.GetGrain<ICycleGrain>("a2");
        Assert.Equal("b2<-a2", await a.CallThroughPeer("b2", interleavedCallback: true));
    }

    [Fact]
    public async Task Call_ActivationThrows_CallerSeesErrorAndNextCallRetries()
    {
        var grain = _silo.Grains.GetGrain<IBrokenGrain>("x");
        var first = await Assert.ThrowsAsync<InvalidOperationException>(grain.Call);
        var second = await Assert.ThrowsAsync<InvalidOperationException>(grain.Call);
        Assert.Equal("activation refused for x", first.Message);
        Assert.Equal(first.Message, second.Message);
    }

    [Fact]
    public async Task AddAndKeep_CallerMutatesAfterCall_GrainCopyUnaffected()
    {
        var grain = _silo.Grains.GetGrain<IValueGrain>("basket");
        var mine = new Basket("ana", ["apple"]);

        var returned = await grain.AddAndKeep(mine, "pear");
        mine.Items.Add("caller-only");
        returned.Items.Add("returned-only");

        var kept = await grain.GetKept();
        Assert.Equal(["apple", "pear"], kept!.Items);
        Assert.Equal(["apple", "caller-only"], mine.Items);
    }

    [Fact]
    public async Task Accept_ArgumentIsNotAValue_RefusedBeforeTheGrainRuns()
    {
        var grain = _silo.Grains.GetGrain<IValueGrain>("bad-arg");
        var error = await Assert.ThrowsAsync<NotSupportedException>(() => grain.Accept(Unserializable.Of(7)));
        Assert.Contains("IValueGrain.Accept argument 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetGrain_InterfaceWithoutGrainClass_ThrowsNamingIt()
    {
        var error = Assert.Throws<InvalidOperationException>(() => _silo.Grains.GetGrain<IUnimplementedGrain>("k"));
        Assert.Contains(nameof(IUnimplementedGrain), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetGrain_EmptyKey_Throws() =>
        Assert.Throws<ArgumentException>(() => _silo.Grains.GetGrain<ICounterGrain>(""));

    public interface IUnimplementedGrain : IGrainWithStringKey
    {
        Task Nothing();
    }
}

using SpotOptimizer.Runtime.Tests.Grains;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Runtime.Tests;

public sealed class RequestContextTests : IAsyncLifetime
{
    private TestSilo _silo = null!;

    public async Task InitializeAsync() =>
        _silo = await TestSilo.StartAsync(r => r.UseInMemoryStorage(), typeof(CounterGrain).Assembly,
            services: s => s.AddSingleton<ActivationJournal>().AddSingleton<TickCounter>().AddSingleton<Gate>());

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task Calls_QueuedBehindEachOther_EachTurnSeesItsOwnCallersContext()
    {
        var grain = _silo.Grains.GetGrain<IContextGrain>("queued");
        var reads = Enumerable.Range(0, 5).Select(i => Task.Run(() =>
        {
            RequestContext.Set("impersonator", $"admin-{i}");
            return grain.ReadAfter("impersonator", 20);
        })).ToArray();

        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"admin-{i}"), await Task.WhenAll(reads));
    }

    [Fact]
    public async Task Call_ThroughAnotherGrain_ContextFlows()
    {
        await Task.Run(async () =>
        {
            RequestContext.Set("impersonator", "admin-7");
            Assert.Equal("admin-7", await _silo.Grains.GetGrain<IContextGrain>("a").ReadVia("b", "impersonator"));
        });
    }

    [Fact]
    public async Task Call_WithoutContext_SeesNothing() =>
        Assert.Null(await Task.Run(() => _silo.Grains.GetGrain<IContextGrain>("plain").ReadAfter("impersonator", 1)));
}

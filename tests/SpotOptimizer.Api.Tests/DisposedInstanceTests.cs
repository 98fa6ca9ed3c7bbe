namespace SpotOptimizer.Api.Tests;

/// <summary>
/// A stopped platform instance leaves nothing in memory. The API tests start well over a thousand instances in one
/// process; when each stayed reachable (the rate-limiting middleware's timer, the SQLite pool's captured context) the CI
/// machine ran out of memory and the kernel killed the run.
/// </summary>
public sealed class DisposedInstanceTests
{
    private const int Started = 6;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task StartedThenDisposed_InstancesAreCollected(bool postgres)
    {
        var instances = new List<WeakReference>();
        for (var i = 0; i < Started; i++) instances.Add(await StartAndDisposeAsync(postgres));

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        // Once per process the runtime keeps the context of a host it first saw (its event-counter thread, SQLite's
        // native init): a bounded cost. Before the fix every instance stayed (6 of 6).
        var alive = instances.Count(i => i.IsAlive);
        Assert.True(alive <= 2, $"{alive} of {Started} disposed instances are still reachable");
    }

    private static async Task<WeakReference> StartAndDisposeAsync(bool postgres)
    {
        var app = await SpotOptimizerApp.CreateAsync(postgres);
        (await app.CreateClient().GetAsync("/health")).EnsureSuccessStatusCode();
        var services = new WeakReference(app.Services);
        await app.DisposeAsync();
        return services;
    }
}

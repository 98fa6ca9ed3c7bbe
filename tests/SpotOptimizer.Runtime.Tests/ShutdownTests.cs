using Microsoft.Extensions.DependencyInjection;
using SpotOptimizer.Runtime.Tests.Grains;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Runtime.Tests;

/// <summary>Shutdown with calls still queued: they fail for their callers instead of taking the process down.</summary>
public sealed class ShutdownTests
{
    [Fact]
    public async Task QueuedCall_WhenItsActivationStopsDuringShutdown_FailsForTheCaller()
    {
        var gate = new Gate();
        await using var silo = await TestSilo.StartAsync(r => r.UseInMemoryStorage(), typeof(GateGrain).Assembly, services: s => s.AddSingleton(gate));
        var grain = silo.Grains.GetGrain<IGateGrain>("busy");
        var running = grain.Pass();

        var stopping = silo.StopAsync();
        // Once a new activation is refused the runtime is stopping.
        await Eventually.Wait<Exception?>(
            async () => await Record.ExceptionAsync(() => silo.Grains.GetGrain<ICounterGrain>($"probe-{Guid.NewGuid():N}").GetCount()),
            e => e is InvalidOperationException,
            what: "the runtime to refuse new activations");
        // Reaches the busy activation while it waits to deactivate, so it is handed off when the turn ends.
        var queued = grain.Pass();
        gate.Open();
        await stopping;

        await running;
        var failure = await Record.ExceptionAsync(() => queued);
        Assert.IsType<InvalidOperationException>(failure);
        Assert.Contains("shutting down", failure.Message, StringComparison.Ordinal);
    }
}

using SpotOptimizer.Runtime.Tests.Grains;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Runtime.Tests.Durable;

/// <summary>
/// Runtime behaviour that depends on the database: state surviving deactivation and restarts, ETag conflicts
/// between two silos, reminders surviving a process restart. Run on SQLite and on a real PostgreSQL.
/// </summary>
public abstract class DurableRuntimeTests : IAsyncLifetime
{
    private readonly List<TestSilo> _silos = [];
    private Action<GrainRuntimeBuilder> _storage = null!;

    protected ActivationJournal Journal { get; } = new();

    protected ManualTimeProvider Clock { get; } = new();

    /// <summary>A fresh, empty database; every silo of a test shares it.</summary>
    protected abstract Task<Action<GrainRuntimeBuilder>> CreateDatabaseAsync();

    public async Task InitializeAsync() => _storage = await CreateDatabaseAsync();

    public virtual async Task DisposeAsync()
    {
        foreach (var silo in _silos) await silo.DisposeAsync();
    }

    [SkippableFact]
    public async Task Increment_ThousandConcurrentCallsThenReactivation_AllWritesPersisted()
    {
        var silo = await StartSiloAsync();
        var counter = silo.Grains.GetGrain<IPersistentCounterGrain>("busy");

        await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ => Task.Run(counter.Increment)));
        await DeactivateAsync(counter, "busy");

        Assert.Equal(1000, await counter.GetCount());
        Assert.Equal(2, Journal.Count(new GrainId("persistentcounter", "busy"), "activate"));
    }

    [SkippableFact]
    public async Task Set_ThenDeactivateAndCallAgain_NewActivationReadsStoredState()
    {
        var silo = await StartSiloAsync();
        var counter = silo.Grains.GetGrain<IPersistentCounterGrain>("restore");
        await counter.Set(42);
        var etagBefore = await counter.GetEtag();

        await DeactivateAsync(counter, "restore");

        Assert.Equal(42, await counter.GetCount());
        Assert.Equal(etagBefore, await counter.GetEtag());
        Assert.Equal(["activate", "deactivate:ApplicationRequested", "activate"], Journal.EventsOf(new GrainId("persistentcounter", "restore")));
    }

    [SkippableFact]
    public async Task Set_SecondSiloWroteMeanwhile_StaleWriterGetsInconsistentState()
    {
        var first = await StartSiloAsync();
        var second = await StartSiloAsync();
        await first.Grains.GetGrain<IPersistentCounterGrain>("contended").Set(1);
        await second.Grains.GetGrain<IPersistentCounterGrain>("contended").Set(2);

        await Assert.ThrowsAsync<InconsistentStateException>(() => first.Grains.GetGrain<IPersistentCounterGrain>("contended").Set(3));

        var reader = await StartSiloAsync();
        Assert.Equal(2, await reader.Grains.GetGrain<IPersistentCounterGrain>("contended").GetCount());
    }

    [SkippableFact]
    public async Task Clear_ThenReactivate_StartsFromEmptyState()
    {
        var silo = await StartSiloAsync();
        var counter = silo.Grains.GetGrain<IPersistentCounterGrain>("cleared");
        await counter.Set(9);
        await counter.Clear();
        await DeactivateAsync(counter, "cleared");

        Assert.Equal(0, await counter.GetCount());
        Assert.Null(await counter.GetEtag());
    }

    [SkippableFact]
    public async Task StopHost_WithActiveGrains_EveryGrainDeactivatesBeforeStopReturns()
    {
        var silo = await StartSiloAsync();
        var keys = Enumerable.Range(0, 20).Select(i => $"g{i}").ToArray();
        foreach (var key in keys) await silo.Grains.GetGrain<IPersistentCounterGrain>(key).Increment();

        await silo.StopAsync();

        Assert.All(keys, key => Assert.Equal(1, Journal.Count(new GrainId("persistentcounter", key), "deactivate:ShuttingDown")));
    }

    [SkippableFact]
    public async Task Reminder_HostStoppedForTenPeriods_NewHostFiresOnceThenKeepsPeriod()
    {
        var period = TimeSpan.FromMinutes(1);
        var first = await StartSiloAsync();
        await first.Grains.GetGrain<IReminderGrain>("loop").Start("optimize", period, period);
        Clock.Advance(period);
        await WaitForTicksAsync(first, "loop", 1);
        await first.StopAsync();

        Clock.Advance(period * 10);
        var second = await StartSiloAsync();
        var afterRestart = await WaitForTicksAsync(second, "loop", 2);
        Clock.Advance(period);
        var afterOnePeriod = await WaitForTicksAsync(second, "loop", 3);

        Assert.Equal(Clock.GetUtcNow() - period, afterRestart[1]);
        Assert.Equal(Clock.GetUtcNow(), afterOnePeriod[2]);
        Assert.Equal(["optimize"], await second.Grains.GetGrain<IReminderGrain>("loop").GetReminderNamesAsync());
    }

    [SkippableFact]
    public async Task Reminder_Unregistered_NeitherFiresNorComesBackAfterRestart()
    {
        var period = TimeSpan.FromMinutes(1);
        var first = await StartSiloAsync();
        var grain = first.Grains.GetGrain<IReminderGrain>("stopped");
        await grain.Start("hibernate", period, period);
        await grain.Stop("hibernate");
        await first.StopAsync();

        var second = await StartSiloAsync();
        Clock.Advance(period * 3);
        var probe = second.Grains.GetGrain<IReminderGrain>("stopped");

        Assert.Empty(await probe.GetReminderNamesAsync());
        Assert.Empty(await probe.GetTicks());
    }

    [SkippableFact]
    public async Task RegisterReminder_GrainIsNotRemindable_Refused()
    {
        var silo = await StartSiloAsync();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => silo.Grains.GetGrain<INotRemindableGrain>("n").Start());
        Assert.Contains("IRemindable", error.Message, StringComparison.Ordinal);
    }

    private async Task<TestSilo> StartSiloAsync()
    {
        var silo = await TestSilo.StartAsync(_storage, typeof(CounterGrain).Assembly, time: Clock,
            services: s => s.AddSingleton(Journal).AddSingleton<TickCounter>());
        _silos.Add(silo);
        return silo;
    }

    /// <summary>Deactivates the counter and waits until every activation of it has run OnDeactivateAsync.</summary>
    private async Task DeactivateAsync(IPersistentCounterGrain counter, string key)
    {
        var id = new GrainId("persistentcounter", key);
        await counter.Deactivate();
        await Eventually.Wait(
            () => Journal.EventsOf(id),
            events => events.Count(e => e.StartsWith("deactivate", StringComparison.Ordinal)) == events.Count(e => e == "activate"),
            what: $"{id} to deactivate");
    }

    private static Task<IReadOnlyList<DateTimeOffset>> WaitForTicksAsync(TestSilo silo, string key, int count) =>
        Eventually.Wait(() => silo.Grains.GetGrain<IReminderGrain>(key).GetTicks(), t => t.Count >= count, what: $"{count} ticks");
}

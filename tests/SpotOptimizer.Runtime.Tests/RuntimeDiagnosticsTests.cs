using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using SpotOptimizer.Runtime.Tests.Grains;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Runtime.Tests;

public sealed class RuntimeDiagnosticsTests : IAsyncLifetime
{
    private TestSilo _silo = null!;

    public async Task InitializeAsync() =>
        _silo = await TestSilo.StartAsync(r => r.UseInMemoryStorage(), typeof(CounterGrain).Assembly,
            services: s => s.AddSingleton<ActivationJournal>().AddSingleton<TickCounter>().AddSingleton(_gate));

    private readonly Gate _gate = new();

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task Calls_WithMeterListener_CountedAndTimedPerMethod()
    {
        var measurements = new ConcurrentBag<(string Instrument, string? Method)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "SpotOptimizer.Runtime") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((i, _, tags, _) => measurements.Add((i.Name, MethodTag(tags))));
        listener.SetMeasurementEventCallback<double>((i, _, tags, _) => measurements.Add((i.Name, MethodTag(tags))));
        listener.Start();

        var counter = _silo.Grains.GetGrain<ICounterGrain>("metered-" + Guid.NewGuid());
        for (var i = 0; i < 5; i++) await counter.Increment();

        Assert.True(measurements.Count(m => m is ("spotopt.grain.calls", "ICounterGrain.Increment")) >= 5);
        Assert.True(measurements.Count(m => m is ("spotopt.grain.call.duration", "ICounterGrain.Increment")) >= 5);
        listener.RecordObservableInstruments();
        Assert.Contains(measurements, m => m.Instrument == "spotopt.grain.activations");
    }

    [Fact]
    public async Task Calls_WithActivityListener_OneSpanPerCallNamedAfterMethod()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "SpotOptimizer.Runtime",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var key = "traced-" + Guid.NewGuid();

        await _silo.Grains.GetGrain<ICounterGrain>(key).Increment();

        Assert.Contains(spans, s => s.DisplayName == "ICounterGrain.Increment" && Equals(s.GetTagItem("grain.id"), $"counter/{key}"));
    }

    [Fact]
    public async Task Statistics_AfterActivatingGrains_CountsThem()
    {
        var statistics = _silo.Services.GetRequiredService<IGrainRuntimeStatistics>();
        var before = statistics.GetStatistics().Activations;
        for (var i = 0; i < 7; i++) await _silo.Grains.GetGrain<ICounterGrain>($"stat-{i}").Increment();
        Assert.Equal(before + 7, statistics.GetStatistics().Activations);
    }

    [Fact]
    public async Task Statistics_CallsQueuedBehindABusyGrain_MailboxDepthRisesThenDrains()
    {
        var statistics = _silo.Services.GetRequiredService<IGrainRuntimeStatistics>();
        var gate = _silo.Grains.GetGrain<IGateGrain>("busy");
        var calls = Enumerable.Range(0, 4).Select(_ => gate.Pass()).ToList();

        await Eventually.Wait(() => statistics.GetStatistics().MailboxDepth, depth => depth == 3, what: "three calls queued behind the first");
        _gate.Open();
        await Task.WhenAll(calls);

        Assert.Equal(0, statistics.GetStatistics().MailboxDepth);
    }

    private static string? MethodTag(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == "rpc.method") return tag.Value as string;
        }

        return null;
    }
}

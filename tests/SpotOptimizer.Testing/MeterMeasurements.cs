using System.Diagnostics.Metrics;

namespace SpotOptimizer.Testing;

/// <summary>The long counters of one meter instance (so tests running in parallel do not see each other's calls).</summary>
public sealed class MeterMeasurements : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<(string Instrument, Dictionary<string, string?> Tags)> _measurements = [];

    public MeterMeasurements(Meter meter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter)) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            lock (_measurements)
            {
                for (var i = 0; i < value; i++)
                    _measurements.Add((instrument.Name, tags.ToArray().ToDictionary(t => t.Key, t => t.Value?.ToString(), StringComparer.Ordinal)));
            }
        });
        _listener.Start();
    }

    /// <summary>(the <c>operation</c> tag, <paramref name="tag"/>) of each measurement of <paramref name="instrument"/>, in order.</summary>
    public List<(string Operation, string? Value)> Of(string instrument, string tag)
    {
        lock (_measurements)
            return _measurements.Where(m => m.Instrument == instrument).Select(m => (m.Tags["operation"]!, m.Tags.GetValueOrDefault(tag))).ToList();
    }

    public void Dispose() => _listener.Dispose();
}

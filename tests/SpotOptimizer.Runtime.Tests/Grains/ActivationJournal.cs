using System.Collections.Concurrent;
using SpotOptimizer.Runtime;

namespace SpotOptimizer.Runtime.Tests.Grains;

/// <summary>A DI singleton that test grains write their lifecycle events to.</summary>
public sealed class ActivationJournal
{
    private readonly ConcurrentQueue<(GrainId Grain, string Event)> _events = new();

    public void Record(GrainId grain, string what) => _events.Enqueue((grain, what));

    public int Count(GrainId grain, string what) => _events.Count(e => e.Grain == grain && e.Event == what);

    public IReadOnlyList<string> EventsOf(GrainId grain) => [.. _events.Where(e => e.Grain == grain).Select(e => e.Event)];
}

using System.Text.Json;

namespace SpotOptimizer.Runtime;

/// <summary>Tuning knobs of the grain runtime; defaults follow Orleans's.</summary>
public sealed class GrainRuntimeOptions
{
    /// <summary>How long a caller waits for a grain call before a <see cref="TimeoutException"/> (Orleans: 30 s).</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>An activation with no calls for this long is deactivated.</summary>
    public TimeSpan CollectionAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often idle activations are looked for; idleness is measured in whole quanta.</summary>
    public TimeSpan CollectionQuantum { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long graceful shutdown waits for all activations to run <c>OnDeactivateAsync</c>.</summary>
    public TimeSpan DeactivationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Round-trips every argument, result and stream event through System.Text.Json, so that no code can rely on
    /// sharing a reference across a call (the same call may cross silos later). On in tests, off in production.
    /// </summary>
    public bool CopyMessagesViaSerializer { get; set; }

    /// <summary>The shortest reminder period accepted (Orleans: 1 minute).</summary>
    public TimeSpan MinimumReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Events buffered per stream subscriber before the oldest are dropped (a slow live feed must not exhaust memory).</summary>
    public int StreamSubscriberCapacity { get; set; } = 10_000;

    /// <summary>Serializer for grain state, copied messages and stream events.</summary>
    public JsonSerializerOptions SerializerOptions { get; set; } = new(JsonSerializerDefaults.Web);

    internal void Validate()
    {
        if (CallTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(CallTimeout), "must be positive");
        if (CollectionQuantum <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(CollectionQuantum), "must be positive");
        if (CollectionAge < CollectionQuantum) throw new ArgumentOutOfRangeException(nameof(CollectionAge), "must be at least one collection quantum");
        if (MinimumReminderPeriod <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(MinimumReminderPeriod), "must be positive");
        if (StreamSubscriberCapacity < 1) throw new ArgumentOutOfRangeException(nameof(StreamSubscriberCapacity), "must be at least 1");
    }
}

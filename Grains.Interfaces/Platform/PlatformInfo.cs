using Orleans;
namespace SpotOptimizer.Grains.Interfaces.Platform;

/// <summary>How often silos of this installation have started, and when the first one did (null before any start).</summary>
[GenerateSerializer, Immutable]
public sealed record PlatformInfo(int SiloStarts, DateTimeOffset? FirstStartedAt);

namespace SpotOptimizer.Grains.Platform;

public sealed record PlatformState
{
    public int SiloStarts { get; init; }

    public DateTimeOffset? FirstStartedAt { get; init; }
}

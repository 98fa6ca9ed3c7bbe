using Orleans;
namespace SpotOptimizer.Grains.Platform;

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties), Immutable]
public sealed record PlatformState
{
    public int SiloStarts { get; init; }

    public DateTimeOffset? FirstStartedAt { get; init; }
}

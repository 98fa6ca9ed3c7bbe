using Orleans;
using Orleans.Concurrency;

namespace SpotOptimizer.Grains.Interfaces.Platform;

/// <summary>
/// The platform's runtime SAFE_MODE switch (key <see cref="Key"/>), set by super admins. Every silo reads it every
/// few seconds; configuration (<c>Safety:SafeMode</c>) is a floor the switch cannot lower.
/// </summary>
public interface ISafeModeGrain : IGrainWithStringKey
{
    const string Key = "platform";

    [ReadOnly]
    Task<SafeModeSwitch> Get();

    Task<SafeModeSwitch> Set(SafeModeChange change);
}

[GenerateSerializer, Immutable]
public sealed record SafeModeSwitch(bool Enabled, DateTimeOffset? ChangedAt, string? ChangedBy, string? Reason)
{
    public static readonly SafeModeSwitch Off = new(false, null, null, null);
}

[GenerateSerializer, Immutable]
public sealed record SafeModeChange(bool Enabled, string Actor, string? Reason);

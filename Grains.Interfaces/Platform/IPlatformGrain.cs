using Orleans;
using Orleans.Concurrency;

namespace SpotOptimizer.Grains.Interfaces.Platform;

/// <summary>The one platform-wide grain (key <see cref="Key"/>): facts about the installation itself.</summary>
public interface IPlatformGrain : IGrainWithStringKey
{
    const string Key = "platform";

    /// <summary>Counts a silo start; called once by every silo as it starts.</summary>
    Task<PlatformInfo> RecordSiloStart();

    [ReadOnly]
    Task<PlatformInfo> GetInfo();

    /// <summary>Reloads the state from storage rather than memory, so a health probe learns whether storage answers.</summary>
    Task<PlatformInfo> ReadFromStorage();
}

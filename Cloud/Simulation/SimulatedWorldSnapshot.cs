using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;

namespace SpotOptimizer.Cloud.Simulation;

/// <summary>
/// Everything the simulated AWS remembers, at one version: the world, the STS sessions it issued (so credentials
/// issued by one process authenticate on another) and the RunInstances client tokens it has seen (so a retried launch
/// stays idempotent wherever it lands). Every stored change makes the next version.
/// </summary>
public sealed record SimulatedWorldSnapshot(long Version, SimulatedWorld World)
{
    public const long InitialVersion = 1;

    /// <summary>Issued sessions by access key id; expired ones are dropped when the next one is issued.</summary>
    public ImmutableDictionary<string, SimulatedSession> Sessions { get; init; } = ImmutableDictionary<string, SimulatedSession>.Empty;

    /// <summary>Launches by <c>account/region/client token</c>.</summary>
    public ImmutableDictionary<string, SimulatedLaunch> Launches { get; init; } = ImmutableDictionary<string, SimulatedLaunch>.Empty;

    public static SimulatedWorldSnapshot Initial(SimulatedWorld world) => new(InitialVersion, world);

    /// <summary>
    /// The random source of the change that makes the next version. A <see cref="Random"/>'s position cannot be
    /// stored, so each change draws from a generator seeded by the world's seed and this version: ids stay reproducible
    /// from the seed and the order of changes, whichever process makes them. <see cref="Random(int)"/> uses only the
    /// absolute value of its seed, so both are folded into 31 bits; multiplying by an odd constant is a bijection
    /// there, so no two of a world's first 2³¹ versions draw the same ids, and none draws those of the demo world's
    /// <c>Random(seed)</c>. (<see cref="HashCode"/> would not do: it is salted per process.)
    /// </summary>
    public Random RandomForNextChange()
    {
        var seed = World.Seed == int.MinValue ? int.MaxValue : Math.Abs(World.Seed);
        var spread = (int)(unchecked((uint)Version * 0x9E3779B1u) & int.MaxValue);
        return new Random(seed ^ spread);
    }
}

/// <summary>
/// A session as STS remembers it. Only a hash of its secret is kept, so a stored snapshot holds no usable credential.
/// </summary>
public sealed record SimulatedSession(string AccountId, string RoleName, string ExternalId, string SecretHash, DateTimeOffset Expiration)
{
    public static string Hash(string secretAccessKey) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secretAccessKey)));

    public bool Proves(string secretAccessKey) => string.Equals(SecretHash, Hash(secretAccessKey), StringComparison.Ordinal);
}

/// <summary>What a RunInstances client token launched, to answer a repeat of the same request with the same instances.</summary>
public sealed record SimulatedLaunch(LaunchRequest Request, IReadOnlyList<string> InstanceIds);

using System.Security.Cryptography;
using System.Text;

namespace SpotOptimizer.SimulatedAws;

/// <summary>
/// Identifiers AWS assigns that the simulated world does not keep (ARN UUIDs, reservation and fleet ids): derived
/// from what they name, so the same resource shows the same id on every call.
/// </summary>
internal static class WireIds
{
    public static string Uuid(string name) => new Guid(Hash(name).AsSpan(0, 16)).ToString();

    /// <summary><paramref name="prefix"/> and 17 lower-case hex digits, the shape of EC2's ids (<c>r-…</c>, <c>fleet-…</c>).</summary>
    public static string Ec2(string prefix, string name) => prefix + Convert.ToHexStringLower(Hash(name))[..17];

    private static byte[] Hash(string name) => SHA256.HashData(Encoding.UTF8.GetBytes(name));
}

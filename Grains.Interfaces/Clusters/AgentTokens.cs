using System.Security.Cryptography;
using System.Text;

namespace SpotOptimizer.Grains.Interfaces.Clusters;

/// <summary>Agent tokens: <c>soa_{cluster id}_{secret}</c>, so a heartbeat finds its cluster without a lookup.</summary>
public static class AgentTokens
{
    private const string Prefix = "soa_";

    public static string Format(string clusterId, byte[] secret) =>
        $"{Prefix}{clusterId.Replace("-", "", StringComparison.Ordinal)}_{Convert.ToBase64String(secret).TrimEnd('=').Replace('+', '-').Replace('/', '_')}";

    /// <returns>The cluster id, or null for anything that is not a well-formed agent token.</returns>
    public static string? ClusterIdOf(string token)
    {
        if (!token.StartsWith(Prefix, StringComparison.Ordinal) || token.Length < Prefix.Length + 33) return null;
        var compact = token.AsSpan(Prefix.Length, 32);
        if (token[Prefix.Length + 32] != '_' || !Guid.TryParseExact(compact, "N", out var id)) return null;
        return id.ToString("D");
    }

    public static string HashOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public static bool HashesEqual(string expected, string actual) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(actual));
}

using System.Security.Cryptography;
using System.Text;

namespace SpotOptimizer.Grains.Interfaces.Market;

/// <summary>
/// The hive mind's reporter ids: a stable hash of the tenant's organization id, so a pool can count distinct tenants
/// and key a tenant's own board without holding (or ever showing) which tenant reported.
/// </summary>
public static class HiveReporters
{
    // A fixed prefix keeps these hashes apart from any other hash of an organization id.
    private const string Domain = "spotoptimizer/hive-reporter/v1:";

    public static string For(string organizationId)
    {
        ArgumentException.ThrowIfNullOrEmpty(organizationId);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(Domain + organizationId));
        return "r" + Convert.ToHexStringLower(hash.AsSpan(0, 10));
    }
}

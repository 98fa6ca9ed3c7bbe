using System.Security.Cryptography;
using System.Text;

namespace SpotOptimizer.Grains.Interfaces.Clusters;

/// <summary>
/// A cluster's id is derived from where it lives, so every discovery pass (and every silo) maps the same EKS
/// cluster to the same grain without a lookup table.
/// </summary>
public static class ClusterIds
{
    public static string For(string awsAccountId, string region, string clusterName)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"eks:{awsAccountId}:{region}:{clusterName}"));
        return new Guid(hash.AsSpan(0, 16)).ToString("D");
    }
}

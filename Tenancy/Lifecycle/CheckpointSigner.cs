using System.Security.Cryptography;
using System.Text;

namespace SpotOptimizer.Tenancy.Lifecycle;

/// <summary>
/// Signs ledger checkpoints with a platform key, never a tenant's: a checkpoint attests rows the tenant can no
/// longer see (archived or erased), so only the platform may vouch for them.
/// </summary>
public interface ICheckpointSigner
{
    string Sign(byte[] content);

    bool Verify(byte[] content, string signature);
}

/// <summary>HMAC-SHA256 under a key derived from the platform's key, so a checkpoint signature is never a valid JWT signature.</summary>
public sealed class HmacCheckpointSigner : ICheckpointSigner
{
    private static readonly byte[] Purpose = Encoding.ASCII.GetBytes("spotoptimizer/audit-checkpoint/v1");

    private readonly byte[] _key;

    public HmacCheckpointSigner(byte[] platformKey)
    {
        if (platformKey.Length < 32) throw new ArgumentException("The platform key must be at least 32 bytes.", nameof(platformKey));
        _key = HMACSHA256.HashData(platformKey, Purpose);
    }

    public string Sign(byte[] content) => Convert.ToHexStringLower(HMACSHA256.HashData(_key, content));

    public bool Verify(byte[] content, string signature) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(content)), Encoding.ASCII.GetBytes(signature));
}

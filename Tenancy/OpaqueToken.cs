using System.Security.Cryptography;
using System.Text;

namespace SpotOptimizer.Tenancy;

/// <summary>
/// Bearer secrets that are not JWTs (refresh tokens, password-reset and invitation links): 256 random bits behind a
/// prefix that names their kind (so leaked ones are recognisable), stored only as their SHA-256.
/// </summary>
public static class OpaqueToken
{
    public const string RefreshPrefix = "sor_";
    public const string PasswordResetPrefix = "sop_";
    public const string InvitationPrefix = "soi_";

    public static string New(string prefix) => prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>Lower-case hex SHA-256: what the database keeps and looks tokens up by.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

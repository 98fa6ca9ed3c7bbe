using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SpotOptimizer.Notifications.Channels;

/// <summary>
/// <c>X-SpotOptimizer-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256 of "t.body" keyed with the signing secret&gt;</c>.
/// The timestamp inside the signed text lets a receiver refuse replays of an old request.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "X-SpotOptimizer-Signature";
    public const string EventIdHeader = "X-SpotOptimizer-Event-Id";
    public const string EventHeader = "X-SpotOptimizer-Event";

    public static string Sign(string secret, DateTimeOffset at, ReadOnlySpan<byte> body)
    {
        var t = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"t={t},v1={Hex(secret, t, body)}";
    }

    /// <summary>What a receiver does: recompute, compare in constant time, and refuse timestamps outside the tolerance.</summary>
    public static bool Verify(string? header, string secret, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (header is null) return false;
        var parts = header.Split(',').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        if (!parts.TryGetValue("t", out var t) || !parts.TryGetValue("v1", out var v1) || !long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            return false;
        if ((now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > tolerance) return false;
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hex(secret, t, body)), Encoding.ASCII.GetBytes(v1));
    }

    private static string Hex(string secret, string t, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(t + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }
}

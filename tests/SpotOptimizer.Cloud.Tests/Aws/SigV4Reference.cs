using System.Security.Cryptography;
using System.Text;

namespace SpotOptimizer.Cloud.Tests.Aws;

/// <summary>
/// SigV4 written from the public specification, independent of AWSSDK.Core, and itself checked against AWS's
/// published vectors (<see cref="SigV4Tests"/>). The loopback endpoint uses it to verify every request, as AWS would.
/// </summary>
public static class SigV4Reference
{
    public sealed record ParsedAuthorization(string AccessKeyId, string Date, string Region, string Service, IReadOnlyList<string> SignedHeaders, string Signature);

    public static ParsedAuthorization? Parse(string? authorization)
    {
        const string Prefix = "AWS4-HMAC-SHA256 ";
        if (authorization is null || !authorization.StartsWith(Prefix, StringComparison.Ordinal)) return null;
        var parts = authorization[Prefix.Length..].Split(',', StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        if (!parts.TryGetValue("Credential", out var credential) || !parts.TryGetValue("SignedHeaders", out var signed) || !parts.TryGetValue("Signature", out var signature))
            return null;
        var scope = credential.Split('/');
        if (scope.Length != 5 || scope[4] != "aws4_request") return null;
        return new ParsedAuthorization(scope[0], scope[1], scope[2], scope[3], signed.Split(';'), signature);
    }

    public static string CanonicalRequest(string method, string path, string query, IReadOnlyList<string> signedHeaders,
        Func<string, string> headerValue, string payloadHash)
    {
        var canonicalUri = string.Join('/', path.Split('/').Select(UriEncode));
        var canonicalQuery = string.Join('&', query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(p => (Key: UriEncode(Uri.UnescapeDataString(p[0])), Value: UriEncode(Uri.UnescapeDataString(p.Length > 1 ? p[1] : ""))))
            .OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => $"{p.Key}={p.Value}"));
        var canonicalHeaders = string.Concat(signedHeaders.Select(h => $"{h}:{Collapse(headerValue(h))}\n"));
        return $"{method}\n{canonicalUri}\n{canonicalQuery}\n{canonicalHeaders}\n{string.Join(';', signedHeaders)}\n{payloadHash}";
    }

    public static string Signature(string canonicalRequest, string secretKey, string amzDate, string region, string service)
    {
        var date = amzDate[..8];
        var scope = $"{date}/{region}/{service}/aws4_request";
        var stringToSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";
        var key = Hmac(Hmac(Hmac(Hmac(Encoding.UTF8.GetBytes("AWS4" + secretKey), date), region), service), "aws4_request");
        return Hex(Hmac(key, stringToSign));
    }

    public static string PayloadHash(byte[] body) => Hex(SHA256.HashData(body));

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    private static string Collapse(string value) => string.Join(' ', value.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries));

    /// <summary>RFC 3986: everything but unreserved characters percent-encoded, upper-case hex.</summary>
    private static string UriEncode(string value)
    {
        var builder = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~') builder.Append(c);
            else builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return builder.ToString();
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace SpotOptimizer.SimulatedAws;

/// <summary>The parts of a SigV4 <c>Authorization</c> header: <c>AWS4-HMAC-SHA256 Credential=AKID/date/region/service/aws4_request, SignedHeaders=a;b, Signature=hex</c>.</summary>
internal sealed record SigV4Authorization(string AccessKeyId, string Date, string Region, string Service, IReadOnlyList<string> SignedHeaders, string Signature)
{
    private const string Algorithm = "AWS4-HMAC-SHA256";

    /// <returns>Null when the header is absent or not a SigV4 header at all.</returns>
    public static SigV4Authorization? Parse(string? header)
    {
        if (header is null || !header.StartsWith(Algorithm + " ", StringComparison.Ordinal)) return null;
        var parts = header[(Algorithm.Length + 1)..].Split(',', StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2)).Where(p => p.Length == 2)
            .GroupBy(p => p[0], StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First()[1], StringComparer.Ordinal);
        if (!parts.TryGetValue("Credential", out var credential) || !parts.TryGetValue("SignedHeaders", out var signed) || !parts.TryGetValue("Signature", out var signature))
            return null;
        var scope = credential.Split('/');
        if (scope.Length != 5 || scope[4] != "aws4_request") return null;
        return new SigV4Authorization(scope[0], scope[1], scope[2], scope[3], signed.Split(';'), signature);
    }
}

/// <summary>
/// SigV4 verification as AWS does it (the "Create a signed AWS API request" steps of the IAM user guide): the
/// canonical request from what arrived, the string to sign under the credential scope, the signing key derived from
/// the secret key, and a constant-time comparison of the signatures.
/// </summary>
internal static class SigV4Signature
{
    public static bool Verify(HttpRequest request, byte[] body, SigV4Authorization authorization, string secretKey)
    {
        var amzDate = request.Headers["X-Amz-Date"].ToString();
        if (amzDate.Length < 8 || !amzDate.StartsWith(authorization.Date, StringComparison.Ordinal)) return false;
        var canonical = CanonicalRequest(request, body, authorization.SignedHeaders);
        var expected = Sign(canonical, secretKey, amzDate, authorization.Region, authorization.Service);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(authorization.Signature));
    }

    private static string CanonicalRequest(HttpRequest request, byte[] body, IReadOnlyList<string> signedHeaders)
    {
        // The path as the client addressed it, the host's base path included; each segment percent-encoded (non-S3 rule).
        var path = (request.PathBase + request.Path).Value ?? "/";
        var canonicalUri = string.Join('/', path.Split('/').Select(UriEncode));
        var canonicalQuery = string.Join('&', request.Query
            .SelectMany(q => q.Value.Select(v => (Key: UriEncode(q.Key), Value: UriEncode(v ?? ""))))
            .OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => $"{p.Key}={p.Value}"));
        var canonicalHeaders = string.Concat(signedHeaders.Select(h => $"{h}:{Collapse(HeaderValue(request, h))}\n"));
        return $"{request.Method}\n{canonicalUri}\n{canonicalQuery}\n{canonicalHeaders}\n{string.Join(';', signedHeaders)}\n{Hex(SHA256.HashData(body))}";
    }

    private static string HeaderValue(HttpRequest request, string name) =>
        name == "host" ? request.Host.Value ?? "" : string.Join(',', request.Headers[name].Select(v => v ?? ""));

    private static string Sign(string canonicalRequest, string secretKey, string amzDate, string region, string service)
    {
        var date = amzDate[..8];
        var stringToSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{date}/{region}/{service}/aws4_request\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";
        var key = Hmac(Hmac(Hmac(Hmac(Encoding.UTF8.GetBytes("AWS4" + secretKey), date), region), service), "aws4_request");
        return Hex(Hmac(key, stringToSign));
    }

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
            else builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }

        return builder.ToString();
    }
}

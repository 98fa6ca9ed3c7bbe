using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace SpotOptimizer.Api.Tests.Auth;

/// <summary>Builds and reads JWTs by hand (base64url JSON, HMAC-SHA256), independently of the product's token library.</summary>
public static class TestJwt
{
    /// <summary>An HS256 token over <paramref name="claims"/>; with a null key, an unsigned <c>alg: none</c> token.</summary>
    public static string Sign(byte[]? key, IReadOnlyDictionary<string, object> claims)
    {
        var header = Encode(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["alg"] = key is null ? "none" : "HS256", ["typ"] = "JWT" }));
        var payload = Encode(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signed = $"{header}.{payload}";
        return key is null ? signed + "." : $"{signed}.{Encode(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(signed)))}";
    }

    /// <summary>The decoded payload (claims) of a JWT, without checking its signature.</summary>
    public static JsonElement Payload(string token)
    {
        var parts = token.Split('.');
        Assert.Equal(3, parts.Length);
        return JsonDocument.Parse(Decode(parts[1])).RootElement.Clone();
    }

    /// <summary>The key the embedded app generated and kept in its data directory.</summary>
    public static byte[] KeyFromDataDirectory(string dataDirectory) =>
        Convert.FromBase64String(File.ReadAllText(Path.Combine(dataDirectory, "jwt-signing.key")).Trim());

    private static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] Decode(string text)
    {
        var base64 = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '='));
    }
}

using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace SpotOptimizer.Api.Install;

/// <summary>What a manifest link grants: one cluster's manifest, with its agent token, until it expires.</summary>
public sealed record ManifestTicket(string OrganizationId, string ClusterId, string Token, DateTimeOffset ExpiresAt);

/// <summary>
/// The <c>kubectl_command</c>'s link. The grain keeps only the agent token's hash, so the link carries the token
/// itself, sealed with AES-256-GCM under a key derived from the platform's signing key: the URL never shows the token
/// in clear, any instance sharing the key opens it, and a changed character or another platform's key opens nothing.
/// It is a credential until it expires (<see cref="AgentInstallOptions.ManifestLinkLifetime"/>), like the token.
/// </summary>
public sealed class ManifestLinks(SymmetricSecurityKey platformKey)
{
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    /// <summary>Binds the ciphertext to this use and format, so no other sealed value of the platform opens as a ticket.</summary>
    private static readonly byte[] Purpose = "spotoptimizer/agent-manifest/v1"u8.ToArray();

    private readonly byte[] _key = HMACSHA256.HashData(platformKey.Key, Purpose);

    public string Seal(ManifestTicket ticket)
    {
        var plain = JsonSerializer.SerializeToUtf8Bytes(
            new Sealed(ticket.OrganizationId, ticket.ClusterId, ticket.Token, ticket.ExpiresAt.ToUnixTimeSeconds()));
        var output = new byte[NonceBytes + plain.Length + TagBytes];
        var nonce = output.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagBytes);
        aes.Encrypt(nonce, plain, output.AsSpan(NonceBytes, plain.Length), output.AsSpan(NonceBytes + plain.Length), Purpose);
        return Base64UrlEncoder.Encode(output);
    }

    /// <returns>Null for anything this platform did not seal (malformed, altered, or another key's).</returns>
    public ManifestTicket? Open(string text)
    {
        byte[] input;
        try
        {
            input = Base64UrlEncoder.DecodeBytes(text);
        }
        catch (FormatException)
        {
            return null;
        }

        if (input.Length <= NonceBytes + TagBytes) return null;
        var plain = new byte[input.Length - NonceBytes - TagBytes];
        using var aes = new AesGcm(_key, TagBytes);
        try
        {
            aes.Decrypt(input.AsSpan(0, NonceBytes), input.AsSpan(NonceBytes, plain.Length), input.AsSpan(NonceBytes + plain.Length), plain, Purpose);
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }

        // Authentic, so ours: a malformed payload here would be a bug worth its exception.
        var opened = JsonSerializer.Deserialize<Sealed>(plain)!;
        return new ManifestTicket(opened.O, opened.C, opened.T, DateTimeOffset.FromUnixTimeSeconds(opened.E));
    }

    /// <summary>Short names: the link is typed into a terminal.</summary>
    private sealed record Sealed(string O, string C, string T, long E);
}

using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace SpotOptimizer.Tenancy;

/// <summary>
/// The chain's hash: SHA-256 over a canonical JSON array of every stored field (fixed order, exact strings) and the
/// previous entry's hash. Anything that changes a stored field, reorders entries or removes one changes a hash.
/// </summary>
public static class LedgerHash
{
    /// <summary>The "previous hash" of an organization's first entry.</summary>
    public static readonly string Genesis = new('0', 64);

    public static string Of(LedgerDraft draft, long seq, long occurredAtMs, string previousHash) =>
        Compute(draft.OrganizationId, seq, draft.Actor, draft.Impersonator, draft.Action, draft.Resource, draft.Before, draft.After, occurredAtMs, previousHash);

    public static string Of(LedgerEntry entry) =>
        Compute(entry.OrganizationId, entry.Seq, entry.Actor, entry.Impersonator, entry.Action, entry.Resource, entry.Before, entry.After,
            entry.OccurredAt.ToUnixTimeMilliseconds(), entry.PrevHash);

    private static string Compute(
        string organizationId, long seq, string actor, string? impersonator, string action, string resource, string? before, string? after,
        long occurredAtMs, string previousHash)
    {
        var canonical = JsonSerializer.SerializeToUtf8Bytes(new object?[]
        {
            "v1", organizationId, seq, actor, impersonator, action, resource, before, after, occurredAtMs, previousHash,
        });
        return Convert.ToHexStringLower(SHA256.HashData(canonical));
    }

    internal static string HashBytes(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    internal static string HashText(string content) => HashBytes(Encoding.UTF8.GetBytes(content));
}

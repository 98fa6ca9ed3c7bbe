using System.Text.Json;

namespace SpotOptimizer.Tenancy.Lifecycle;

public static class CheckpointKinds
{
    /// <summary>Rows up to <see cref="LedgerCheckpoint.ToSeq"/> were archived and deleted; the chain now starts after them.</summary>
    public const string Retention = "retention";

    /// <summary>Rows <see cref="LedgerCheckpoint.FromSeq"/>..<see cref="LedgerCheckpoint.ToSeq"/> lost their personal data; their links still hold.</summary>
    public const string Erasure = "erasure";
}

/// <summary>A signed statement about a span of an organization's chain that verification cannot recompute on its own.</summary>
/// <param name="LastHash">The stored hash of the span's last row: what the next row links to.</param>
/// <param name="ContentDigest">Erasure only: SHA-256 over the span's rows as they read after redaction, so a later edit still shows.</param>
public sealed record LedgerCheckpoint(
    long Id, string OrganizationId, string Kind, long FromSeq, long ToSeq, string LastHash, string? ContentDigest, DateTimeOffset CreatedAt, string Signature)
{
    /// <summary>The signed bytes: every field but the row id, in a fixed order.</summary>
    public static byte[] Content(string organizationId, string kind, long fromSeq, long toSeq, string lastHash, string? contentDigest, long createdAtMs) =>
        JsonSerializer.SerializeToUtf8Bytes(new object?[] { "checkpoint-v1", organizationId, kind, fromSeq, toSeq, lastHash, contentDigest, createdAtMs });

    public byte[] Content() => Content(OrganizationId, Kind, FromSeq, ToSeq, LastHash, ContentDigest, CreatedAt.ToUnixTimeMilliseconds());
}

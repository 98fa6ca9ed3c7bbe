using System.Security.Cryptography;
using System.Text;

namespace SpotOptimizer.Tenancy.Lifecycle;

/// <summary>
/// Verification of one organization's chain as stored: what remains after retention starts at the newest retention
/// checkpoint (the first row must link to its hash); rows under an erasure checkpoint are checked by link and by the
/// checkpoint's digest of their redacted content instead of their own hash; every other row by its hash. Every
/// checkpoint's signature must verify. Pure, so an export can be checked the same way offline.
/// </summary>
public static class LedgerChain
{
    public static LedgerVerification Verify(
        IReadOnlyList<LedgerEntry> entries, IReadOnlyList<LedgerCheckpoint> checkpoints, long headSeq, string headHash, ICheckpointSigner? signer)
    {
        LedgerVerification Broken(long count, LedgerEntry? at, string reason) => new(false, count, headSeq, headHash, at, reason);

        foreach (var checkpoint in checkpoints)
        {
            if (signer is null) return Broken(0, null, "the chain has checkpoints and no platform key is configured to verify them");
            if (!signer.Verify(checkpoint.Content(), checkpoint.Signature)) return Broken(0, null, $"checkpoint {checkpoint.Id} ({checkpoint.Kind}) is not signed by the platform (edited)");
        }

        var start = checkpoints.Where(c => c.Kind == CheckpointKinds.Retention).MaxBy(c => c.ToSeq);
        long expectedSeq = (start?.ToSeq ?? 0) + 1, checkedCount = 0;
        var previousHash = start?.LastHash ?? LedgerHash.Genesis;
        // Spans that retention cut into cannot be recomputed; a deleted organization has no retention, so none are.
        var erased = checkpoints.Where(c => c.Kind == CheckpointKinds.Erasure && c.FromSeq >= expectedSeq).ToDictionary(c => c.FromSeq);
        LedgerCheckpoint? span = null;
        var spanHashes = new List<string>();
        foreach (var entry in entries)
        {
            if (span is null && erased.TryGetValue(entry.Seq, out var opened)) (span, spanHashes) = (opened, []);
            var reason = entry.Seq != expectedSeq ? $"expected entry {expectedSeq}, found {entry.Seq} (an entry is missing)"
                : entry.PrevHash != previousHash ? "its link to the previous entry does not match"
                : span is null && LedgerHash.Of(entry) != entry.Hash ? "its content does not match its hash (edited)"
                : null;
            if (reason is not null) return Broken(checkedCount, entry, reason);
            if (span is not null)
            {
                spanHashes.Add(LedgerHash.Of(entry));
                if (entry.Seq == span.ToSeq)
                {
                    if (entry.Hash != span.LastHash || Digest(spanHashes) != span.ContentDigest)
                        return Broken(checkedCount, entry, $"the erased span {span.FromSeq}-{span.ToSeq} does not match its checkpoint (edited)");
                    span = null;
                }
            }

            checkedCount++;
            expectedSeq++;
            previousHash = entry.Hash;
        }

        if (span is not null) return Broken(checkedCount, null, $"the erased span {span.FromSeq}-{span.ToSeq} ends early (entries removed)");
        var headBroken = expectedSeq - 1 != headSeq || previousHash != headHash;
        return new LedgerVerification(!headBroken, checkedCount, headSeq, headHash, null,
            headBroken ? "the chain head does not match the last entry (entries removed from the end)" : null);
    }

    /// <summary>The erasure digest: SHA-256 over the rows' recomputed hashes, one per line, in chain order.</summary>
    public static string Digest(IEnumerable<string> recomputedHashes) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(string.Join('\n', recomputedHashes))));
}

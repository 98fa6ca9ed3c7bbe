using System.Text.Json;
using SpotOptimizer.Optimization.Savings;
using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Grains.Insights;

/// <summary>
/// The ledger entries the KPIs rest on, read as the pure formulas take them: <c>node.replaced</c> on
/// <c>cluster:{id}</c> (written by the optimize job for every real replacement that succeeded) and
/// <c>spot.interruption_reported</c> on <c>instance:{id}</c>, <c>nodes.consolidated</c> on <c>cluster:{id}</c> (one per
/// consolidation action that ran for real). An entry whose details cannot be read is skipped and counted.
/// </summary>
public sealed class LedgerFacts(AuditQueries audit)
{
    public const string Replaced = "node.replaced";
    public const string Interrupted = "spot.interruption_reported";
    public const string Consolidated = "nodes.consolidated";

    public async Task<(long Replacements, long Interruptions, long Consolidations)> CountsAsync(string organizationId, string clusterId) =>
        (await audit.CountOfActionAsync(organizationId, Replaced, $"cluster:{clusterId}", CancellationToken.None),
         await audit.CountOfActionAsync(organizationId, Interrupted, null, CancellationToken.None),
         await audit.CountOfActionAsync(organizationId, Consolidated, $"cluster:{clusterId}", CancellationToken.None));

    public async Task<LedgerSavingsFacts> ReadAsync(string organizationId, string clusterId)
    {
        var unreadable = 0;
        var replacements = new List<ReplacementRecord>();
        foreach (var entry in await audit.OfActionAsync(organizationId, Replaced, $"cluster:{clusterId}", CancellationToken.None))
        {
            if (Parse(entry.After) is { } d && Text(d, "old_instance_id") is { } oldId && Text(d, "new_instance_id") is { } newId
                && Number(d, "old_price_per_hour") is { } oldPrice && Number(d, "new_price_per_hour") is { } newPrice)
            {
                replacements.Add(new ReplacementRecord(entry.OccurredAt, oldId, Text(d, "old_instance_type") ?? "", oldPrice, newId,
                    Text(d, "new_instance_type") ?? "", newPrice, Text(d, "reason") ?? ""));
            }
            else
            {
                unreadable++;
            }
        }

        var interruptions = new List<InterruptionRecord>();
        foreach (var entry in await audit.OfActionAsync(organizationId, Interrupted, null, CancellationToken.None))
        {
            var at = Parse(entry.After) is { } d && Text(d, "notice_time") is { } notice && DateTimeOffset.TryParse(notice, out var parsed) ? parsed : entry.OccurredAt;
            interruptions.Add(new InterruptionRecord(at, entry.Resource.StartsWith("instance:", StringComparison.Ordinal) ? entry.Resource["instance:".Length..] : entry.Resource));
        }

        var consolidations = new List<ConsolidationRecord>();
        foreach (var entry in await audit.OfActionAsync(organizationId, Consolidated, $"cluster:{clusterId}", CancellationToken.None))
        {
            if (Parse(entry.After) is { } d && Removed(d) is { } removed)
                consolidations.Add(new ConsolidationRecord(entry.OccurredAt, removed, Text(d, "launched_instance_id"), Text(d, "launched_instance_type"),
                    Number(d, "launched_price_per_hour") ?? 0));
            else
                unreadable++;
        }

        // A job resumed after a restart may have written an entry twice (it records before it marks the step done): the
        // same swap or the same removal counts once.
        return new LedgerSavingsFacts(
            [.. replacements.DistinctBy(r => (r.OldInstanceId, r.NewInstanceId))], interruptions,
            [.. consolidations.DistinctBy(c => string.Join(',', c.Removed.Select(n => n.InstanceId)))], unreadable);
    }

    private static List<RemovedNode>? Removed(JsonElement details)
    {
        if (!details.TryGetProperty("removed", out var list) || list.ValueKind != JsonValueKind.Array) return null;
        var removed = new List<RemovedNode>();
        foreach (var node in list.EnumerateArray())
        {
            if (Text(node, "instance_id") is not { } id || Number(node, "price_per_hour") is not { } price) return null;
            removed.Add(new RemovedNode(id, price));
        }

        return removed;
    }

    /// <summary>What the savings formulas read from the ledger; <see cref="Unreadable"/> entries lacked the fields they need.</summary>
    public sealed record LedgerSavingsFacts(
        IReadOnlyList<ReplacementRecord> Replacements, IReadOnlyList<InterruptionRecord> Interruptions, IReadOnlyList<ConsolidationRecord> Consolidations, int Unreadable);

    private static JsonElement? Parse(string? json)
    {
        if (string.IsNullOrEmpty(json)) return null;
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            // Counted as unreadable by the caller: a malformed entry must not hide every other figure.
            return null;
        }
    }

    private static string? Text(JsonElement? details, string name) =>
        details is { } d && d.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static double? Number(JsonElement? details, string name) =>
        details is { } d && d.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;
}

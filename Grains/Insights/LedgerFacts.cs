using System.Text.Json;
using SpotOptimizer.Optimization.Savings;
using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Grains.Insights;

/// <summary>
/// The ledger entries the KPIs rest on, read as the pure formulas take them: <c>node.replaced</c> on
/// <c>cluster:{id}</c> (written by the optimize job for every real replacement that succeeded) and
/// <c>spot.interruption_reported</c> on <c>instance:{id}</c>. An entry whose details cannot be read is skipped and counted.
/// </summary>
public sealed class LedgerFacts(AuditQueries audit)
{
    public const string Replaced = "node.replaced";
    public const string Interrupted = "spot.interruption_reported";

    public async Task<(long Replacements, long Interruptions)> CountsAsync(string organizationId, string clusterId) =>
        (await audit.CountOfActionAsync(organizationId, Replaced, $"cluster:{clusterId}", CancellationToken.None),
         await audit.CountOfActionAsync(organizationId, Interrupted, null, CancellationToken.None));

    public async Task<(IReadOnlyList<ReplacementRecord> Replacements, IReadOnlyList<InterruptionRecord> Interruptions, int Unreadable)> ReadAsync(
        string organizationId, string clusterId)
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

        return (replacements, interruptions, unreadable);
    }

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

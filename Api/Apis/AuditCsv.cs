using System.Globalization;
using System.Text;
using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Api.Apis;

/// <summary>RFC 4180 CSV of ledger entries, every column including the hashes, so an export can be re-verified offline.</summary>
public static class AuditCsv
{
    public static string Write(IEnumerable<LedgerEntry> entries)
    {
        var csv = new StringBuilder("id,organization_id,seq,actor,impersonator,action,resource,before,after,occurred_at,prev_hash,hash\r\n");
        foreach (var e in entries)
        {
            string[] fields =
            [
                e.Id.ToString(CultureInfo.InvariantCulture), e.OrganizationId, e.Seq.ToString(CultureInfo.InvariantCulture), e.Actor,
                e.Impersonator ?? "", e.Action, e.Resource, e.Before ?? "", e.After ?? "",
                e.OccurredAt.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture), e.PrevHash, e.Hash,
            ];
            csv.AppendJoin(',', fields.Select(Quote)).Append("\r\n");
        }

        return csv.ToString();
    }

    private static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\r', '\n']) < 0 ? field : $"\"{field.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}

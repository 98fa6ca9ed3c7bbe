using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using SpotOptimizer.Api.Auth;
using SpotOptimizer.Api.Http;
using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Api.Apis;

/// <summary>The organization's audit ledger: search, export with a digest and the chain head, per-entry diff, verification.</summary>
public static class AuditApi
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        var audit = app.MapGroup("/api/audit").WithTags("audit").RequireAuthorization(AuthServices.ClientPolicy);
        audit.MapGet("/", Search).Produces<AuditPageResponse>(StatusCodes.Status200OK);
        // One status, two bodies (?format=): the endpoint metadata keeps one response per status, so CSV is added to it here.
        audit.MapGet("/export", Export).Produces<IReadOnlyList<LedgerEntry>>(StatusCodes.Status200OK).AddOpenApiOperationTransformer(AlsoCsv);
        audit.MapGet("/verify", Verify).Produces<ChainVerification>(StatusCodes.Status200OK);
        audit.MapGet("/{id}/diff", Diff).Produces<DiffResponse>(StatusCodes.Status200OK);
        return app;
    }

    public static async Task<IResult> Search(
        string? actor, string? action, string? resource, string? from, string? to, string? cursor, string? limit,
        ClaimsPrincipal user, AuditQueries queries, CancellationToken cancellationToken)
    {
        if (!TryWindow(from, to, out var window, out var problem)) return problem!;
        var size = DefaultPageSize;
        if (limit is not null && (!int.TryParse(limit, CultureInfo.InvariantCulture, out size) || size is < 1 or > MaxPageSize))
        {
            return Problems.BadRequest("invalid_limit", $"limit must be a whole number from 1 to {MaxPageSize}.");
        }

        long? before = null;
        if (cursor is not null)
        {
            if (!long.TryParse(cursor, CultureInfo.InvariantCulture, out var parsed) || parsed < 1) return Problems.BadRequest("invalid_cursor", "cursor must come from next_cursor.");
            before = parsed;
        }

        var page = await queries.QueryAsync(user.OrganizationId(), new AuditFilter(actor, action, resource, window.From, window.To), before, size, cancellationToken);
        return TypedResults.Ok(new AuditPageResponse(page.Entries, page.NextCursor?.ToString(CultureInfo.InvariantCulture)));
    }

    public static async Task<IResult> Export(
        string? from, string? to, string? format, ClaimsPrincipal user, AuditQueries queries, HttpResponse response, CancellationToken cancellationToken)
    {
        if (!TryWindow(from, to, out var window, out var problem)) return problem!;
        format = (format ?? "json").ToLowerInvariant();
        if (format is not ("json" or "csv")) return Problems.BadRequest("invalid_format", "format must be csv or json.");
        var organizationId = user.OrganizationId();
        var entries = await queries.RangeAsync(organizationId, window.From, window.To, cancellationToken);
        var verification = await queries.VerifyAsync(organizationId, cancellationToken);
        var content = format == "csv" ? Encoding.UTF8.GetBytes(AuditCsv.Write(entries)) : JsonSerializer.SerializeToUtf8Bytes(entries, ApiJson.Options);
        var digest = SHA256.HashData(content);
        response.Headers["Repr-Digest"] = $"sha-256=:{Convert.ToBase64String(digest)}:";
        response.Headers["X-Content-SHA256"] = Convert.ToHexStringLower(digest);
        response.Headers["X-Chain-Head-Seq"] = verification.HeadSeq.ToString(CultureInfo.InvariantCulture);
        response.Headers["X-Chain-Head-Hash"] = verification.HeadHash;
        return TypedResults.File(content, format == "csv" ? "text/csv" : "application/json", $"audit-{organizationId}.{format}");
    }

    public static async Task<IResult> Verify(ClaimsPrincipal user, AuditQueries queries, CancellationToken cancellationToken)
    {
        var result = await queries.VerifyAsync(user.OrganizationId(), cancellationToken);
        return TypedResults.Ok(new ChainVerification(
            result.Intact, result.EntriesChecked, result.HeadSeq, result.HeadHash, result.FirstBroken?.Id, result.FirstBroken?.Seq, result.Reason));
    }

    public static async Task<IResult> Diff(string id, ClaimsPrincipal user, AuditQueries queries, CancellationToken cancellationToken)
    {
        if (!long.TryParse(id, CultureInfo.InvariantCulture, out var entryId) || entryId < 1) return Problems.BadRequest("invalid_id", "id must be a ledger entry id.");
        var entry = await queries.GetAsync(user.OrganizationId(), entryId, cancellationToken);
        if (entry is null) return Problems.NotFound("audit entry");
        var changes = JsonDiff.Compare(entry.Before, entry.After);
        return TypedResults.Ok(new DiffResponse(entry.Id, entry.Action, entry.Resource, changes, [.. changes.Select(c => $"{c.Field}: {c.Before ?? "∅"} → {c.After ?? "∅"}")]));
    }

    private static Task AlsoCsv(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        operation.Responses![StatusCodes.Status200OK.ToString(CultureInfo.InvariantCulture)].Content!["text/csv"] =
            new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
        return Task.CompletedTask;
    }

    private static bool TryWindow(string? from, string? to, out (DateTimeOffset? From, DateTimeOffset? To) window, out IResult? problem)
    {
        window = (null, null);
        problem = null;
        foreach (var (name, text) in new[] { ("from", from), ("to", to) })
        {
            if (text is null) continue;
            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
            {
                problem = Problems.BadRequest("invalid_time", $"{name} must be an ISO-8601 time.");
                return false;
            }

            window = name == "from" ? (value, window.To) : (window.From, value);
        }

        if (window is { From: { } f, To: { } t } && f > t)
        {
            problem = Problems.BadRequest("invalid_time", "from must not be after to.");
            return false;
        }

        return true;
    }

    public sealed record AuditPageResponse(IReadOnlyList<LedgerEntry> Entries, string? NextCursor);

    public sealed record ChainVerification(bool Intact, long EntriesChecked, long HeadSeq, string HeadHash, long? FirstBrokenId, long? FirstBrokenSeq, string? Reason);

    public sealed record DiffResponse(long Id, string Action, string Resource, IReadOnlyList<FieldChange> Changes, IReadOnlyList<string> Summary);
}

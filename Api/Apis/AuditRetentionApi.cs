using System.Globalization;
using System.Security.Claims;
using System.Text;
using SpotOptimizer.Api.Auth;
using SpotOptimizer.Api.Http;
using SpotOptimizer.Tenancy;
using SpotOptimizer.Tenancy.Lifecycle;

namespace SpotOptimizer.Api.Apis;

/// <summary>
/// How long the organization keeps its audit ledger, and the archives retention made: older rows move into an
/// archive (every hash kept) and a signed checkpoint lets <c>GET /api/audit/verify</c> start after them.
/// </summary>
public static class AuditRetentionApi
{
    public static IEndpointRouteBuilder MapAuditRetentionApi(this IEndpointRouteBuilder app)
    {
        var audit = app.MapGroup("/api/audit").WithTags("audit").RequireAuthorization(AuthServices.ClientPolicy);
        audit.MapGet("/retention", GetRetention).Produces<RetentionResponse>(StatusCodes.Status200OK);
        audit.MapPut("/retention", SetRetention).RequireAuthorization(AuthServices.OwnerPolicy).AcceptsJson<RetentionRequest>().Produces<RetentionResponse>(StatusCodes.Status200OK);
        audit.MapGet("/archives", Archives).Produces<ArchiveList>(StatusCodes.Status200OK);
        audit.MapGet("/archives/{id}", Archive).Produces<IReadOnlyList<LedgerEntry>>(StatusCodes.Status200OK);
        return app;
    }

    public static async Task<IResult> GetRetention(ClaimsPrincipal user, AuditRetention retention, CancellationToken cancellationToken) =>
        TypedResults.Ok(new RetentionResponse(await retention.GetDaysAsync(user.OrganizationId(), cancellationToken), AuditRetention.MinDays, AuditRetention.MaxDays));

    public static async Task<IResult> SetRetention(HttpRequest request, ClaimsPrincipal user, AuditRetention retention, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<RetentionRequest>(request, cancellationToken);
        if (problem is not null) return problem;
        var organizationId = user.OrganizationId();
        await retention.SetDaysAsync(organizationId, user.Actor(), user.FindFirstValue(TenantClaims.Impersonator) is { } admin ? $"user:{admin}" : null,
            body!.Value, cancellationToken);
        return TypedResults.Ok(new RetentionResponse(body.Value, AuditRetention.MinDays, AuditRetention.MaxDays));
    }

    public static async Task<IResult> Archives(ClaimsPrincipal user, AuditRetention retention, CancellationToken cancellationToken) =>
        TypedResults.Ok(new ArchiveList(await retention.ListArchivesAsync(user.OrganizationId(), cancellationToken)));

    /// <summary>The archived entries as the ledger stored them (a JSON array), with the digest of the body in a header.</summary>
    public static async Task<IResult> Archive(string id, ClaimsPrincipal user, AuditRetention retention, HttpResponse response, CancellationToken cancellationToken)
    {
        if (!Ids.TryNormalize(id, out var archiveId)) return Ids.Invalid("id");
        if (await retention.GetArchiveAsync(user.OrganizationId(), archiveId, cancellationToken) is not var (archive, content)) return Problems.NotFound("audit archive");
        response.Headers["X-Content-SHA256"] = archive.ContentSha256;
        response.Headers["X-Archive-From-Seq"] = archive.FromSeq.ToString(CultureInfo.InvariantCulture);
        response.Headers["X-Archive-To-Seq"] = archive.ToSeq.ToString(CultureInfo.InvariantCulture);
        return TypedResults.File(Encoding.UTF8.GetBytes(content), "application/json", $"audit-archive-{archive.Id}.json");
    }

    /// <param name="Days">
    /// A number of days, or null to keep the ledger forever. Required, so an empty body cannot switch retention off
    /// by accident: read as a raw element to tell a missing key from an explicit null.
    /// </param>
    public sealed record RetentionRequest(System.Text.Json.JsonElement Days) : IValidatable
    {
        public int? Value => Days.ValueKind == System.Text.Json.JsonValueKind.Number ? Days.GetInt32() : null;

        public void Validate(ValidationErrors errors)
        {
            var message = $"must be a whole number of days from {AuditRetention.MinDays} to {AuditRetention.MaxDays}, or null to keep the ledger forever.";
            switch (Days.ValueKind)
            {
                case System.Text.Json.JsonValueKind.Undefined:
                    errors.Add("days", $"is required: {message}");
                    break;
                case System.Text.Json.JsonValueKind.Null:
                    break;
                case System.Text.Json.JsonValueKind.Number when Days.TryGetInt32(out var days) && days is >= AuditRetention.MinDays and <= AuditRetention.MaxDays:
                    break;
                default:
                    errors.Add("days", message);
                    break;
            }
        }
    }

    public sealed record RetentionResponse(int? Days, int MinDays, int MaxDays);

    public sealed record ArchiveList(IReadOnlyList<AuditArchive> Archives);
}

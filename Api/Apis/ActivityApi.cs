using System.Security.Claims;
using SpotOptimizer.Api.Auth;
using SpotOptimizer.Api.Http;
using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Api.Apis;

/// <summary>The organization's latest actions; <c>/hubs/activity</c> pushes each new one as it happens.</summary>
public static class ActivityApi
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    public static IEndpointRouteBuilder MapActivityApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/activity/live", Live).WithTags("activity").RequireAuthorization(AuthServices.ClientPolicy).Produces<ActivityFeed>(StatusCodes.Status200OK);
        return app;
    }

    public static async Task<IResult> Live(string? limit, ClaimsPrincipal user, AuditQueries ledger, CancellationToken cancellationToken)
    {
        var count = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, out count) || count is < 1 or > MaxLimit))
        {
            return Problems.BadRequest("invalid_limit", $"limit must be a whole number from 1 to {MaxLimit}.");
        }

        return TypedResults.Ok(new ActivityFeed(await ledger.ListRecentAsync(user.OrganizationId(), count, cancellationToken)));
    }

    public sealed record ActivityFeed(IReadOnlyList<LedgerEntry> Events);
}

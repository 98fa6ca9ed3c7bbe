using SpotOptimizer.Grains.Interfaces.Platform;
using System.Security.Claims;
using SpotOptimizer.Api.Auth;
using SpotOptimizer.Api.Http;
using SpotOptimizer.Grains.Interfaces.Accounts;
using SpotOptimizer.Grains.Interfaces.Clusters;
using Orleans;
using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Api.Apis;

/// <summary>The platform owner's tools: every client, impersonation (audited as the admin), loop and runtime health.</summary>
public static partial class AdminApi
{
    public static readonly TimeSpan ImpersonationLifetime = TimeSpan.FromMinutes(30);

    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/admin").WithTags("admin").RequireAuthorization(AuthServices.SuperAdminPolicy);
        admin.MapGet("/clients", Clients).Produces<ClientList>(StatusCodes.Status200OK);
        admin.MapPost("/impersonate", Impersonate).AcceptsJson<ImpersonateRequest>().Produces<ImpersonationResponse>(StatusCodes.Status200OK);
        admin.MapGet("/health/workers", Workers).Produces<WorkerHealth>(StatusCodes.Status200OK);
        admin.MapSafeModeApi();
        admin.MapLabModelsApi();
        return app;
    }

    public static async Task<IResult> Clients(IdentityStore identity, AccountDirectory accounts, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var clients = new List<ClientSummary>();
        foreach (var organization in await identity.ListOrganizationsAsync(cancellationToken))
        {
            var owner = await identity.FindOwnerAsync(organization.Id, cancellationToken);
            if (owner?.Role == Roles.SuperAdmin) continue;
            var linked = await accounts.ListAsync(organization.Id, cancellationToken);
            var statuses = new List<string>();
            foreach (var account in linked) statuses.Add((await grains.GetGrain<IAccountGrain>(account.Id).Get(organization.Id))?.Status ?? AccountStatus.Pending);
            var clusters = await grains.GetGrain<IOrganizationGrain>(organization.Id).GetManagedClusters();
            clients.Add(new ClientSummary(organization.Id, organization.Name, owner?.Email, linked.Count(a => a.AwsAccountId is not null), clusters.Count,
                statuses.Contains(AccountStatus.Active) ? "active" : "onboarding", organization.CreatedAt));
        }

        return TypedResults.Ok(new ClientList(clients));
    }

    public static async Task<IResult> Impersonate(
        HttpRequest request, ClaimsPrincipal admin, IdentityStore identity, TokenIssuer tokens, AuditLedger ledger, ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<ImpersonateRequest>(request, cancellationToken);
        if (problem is not null) return problem;
        Ids.TryNormalize(body!.ClientId, out var organizationId);
        var owner = await identity.FindOwnerAsync(organizationId, cancellationToken);
        if (owner is null || owner.Role == Roles.SuperAdmin) return Problems.NotFound("client");
        var token = tokens.Issue(owner, ImpersonationLifetime, impersonator: admin.UserId());
        await ledger.RecordAsync(organizationId, $"user:{admin.UserId()}", "admin.impersonation_started", $"organization:{organizationId}",
            $$"""{"expires_at":"{{token.ExpiresAt:O}}"}""", cancellationToken, impersonator: $"user:{admin.UserId()}");
        AdminLog.Impersonation(loggers.CreateLogger("ADMIN-API"), admin.UserId(), organizationId);
        return TypedResults.Ok(new ImpersonationResponse(token.Token, organizationId, token.ExpiresAt));
    }

    /// <summary>
    /// A light per background loop: green without recent failures, yellow with some, red while it keeps failing
    /// (<see cref="LoopStatus.Failing"/>); the overall light is the worst of them.
    /// </summary>
    public static async Task<IResult> Workers(Health.ClusterRuntime runtime, CancellationToken cancellationToken)
    {
        var summary = await runtime.ReadAsync(cancellationToken);
        var loops = LoopNames.All
            .Select(name => summary.Loops.FirstOrDefault(l => l.Loop == name) ?? new LoopStatus(name, 0, 0, null, null))
            .Select(l => new LoopHealth(l.Loop, l.FailedRuns, l.RecentFailures, l.LastFailureAt, l.LastErrorCode, Light(l)))
            .ToList();
        var overall = loops.Any(l => l.Status == "red") ? "red" : loops.Any(l => l.Status == "yellow") ? "yellow" : "green";
        return TypedResults.Ok(new WorkerHealth(overall, summary.ActiveSilos, summary.Activations, loops));
    }

    public static string Light(LoopStatus loop) => loop.Failing ? "red" : loop.RecentFailures > 0 ? "yellow" : "green";

    public sealed record ImpersonateRequest(string? ClientId) : IValidatable
    {
        public void Validate(ValidationErrors errors)
        {
            errors.RequiredId("client_id", ClientId);
        }
    }

    public sealed record ClientSummary(string ClientId, string Name, string? OwnerEmail, int LinkedAccounts, int ManagedClusters, string Status, DateTimeOffset CreatedAt);

    public sealed record ClientList(IReadOnlyList<ClientSummary> Clients);

    public sealed record ImpersonationResponse(string Token, string ClientId, DateTimeOffset ExpiresAt);

    public sealed record LoopHealth(string Loop, long FailedRuns, int RecentFailures, DateTimeOffset? LastFailureAt, string? LastErrorCode, string Status);

    public sealed record WorkerHealth(string Status, int ActiveSilos, int Activations, IReadOnlyList<LoopHealth> Loops);
}

internal static partial class AdminLog
{
    [LoggerMessage(1, LogLevel.Information, "[ADMIN-API] [IMPERSONATE] [SUCCESS] admin {Admin} acts for client {Client}")]
    public static partial void Impersonation(ILogger logger, string admin, string client);
}

using System.Security.Claims;
using Orleans;
using SpotOptimizer.Api.Auth;
using SpotOptimizer.Api.Http;
using SpotOptimizer.Grains.Interfaces.Accounts;
using SpotOptimizer.Grains.Interfaces.Clusters;
using SpotOptimizer.Grains.Interfaces.Governance;
using SpotOptimizer.Tenancy;
using SpotOptimizer.Tenancy.Lifecycle;

namespace SpotOptimizer.Api.Apis;

/// <summary>
/// The organization as a whole: a complete export (its ledger with every hash and checkpoint, verifiable offline)
/// and deletion — every account unlinked, then personal data erased with the chain kept verifiable.
/// </summary>
public static class OrganizationApi
{
    public static IEndpointRouteBuilder MapOrganizationApi(this IEndpointRouteBuilder app)
    {
        var organization = app.MapGroup("/api/organization").WithTags("organization").RequireAuthorization(AuthServices.ClientPolicy);
        // Everything the organization has, and the end of it: owners only.
        organization.MapGet("/export", Export).RequireAuthorization(AuthServices.OwnerPolicy).Produces<OrganizationExport>(StatusCodes.Status200OK);
        organization.MapDelete("/", Delete).RequireAuthorization(AuthServices.OwnerPolicy).AcceptsJson<DeleteRequest>().Produces<DeletedResponse>(StatusCodes.Status200OK);
        return app;
    }

    public static async Task<IResult> Export(ClaimsPrincipal user, IdentityStore identity, [AsParameters] ExportSources sources, CancellationToken cancellationToken)
    {
        var organizationId = user.OrganizationId();
        if (await identity.GetOrganizationAsync(organizationId, cancellationToken) is not { } organization) return Problems.NotFound("organization");
        return TypedResults.Ok(await ExportAsync(organization, sources, cancellationToken));
    }

    /// <summary>What <c>GET /api/organization/export</c> reads, gathered for the export and for the deletion that takes one first.</summary>
    public sealed record ExportSources(
        OrganizationData Data, AccountDirectory Directory, AuditQueries Audit, AuditRetention Retention, IGrainFactory Grains, TimeProvider Time,
        CommitmentStore Commitments);

    private static async Task<OrganizationExport> ExportAsync(Organization organization, ExportSources sources, CancellationToken cancellationToken)
    {
        var (data, directory, audit, retention, grains, time) = (sources.Data, sources.Directory, sources.Audit, sources.Retention, sources.Grains, sources.Time);
        var organizationId = organization.Id;
        var accounts = new List<ExportedAccount>();
        var clusterIds = new SortedSet<string>(await grains.GetGrain<IOrganizationGrain>(organizationId).GetManagedClusters(), StringComparer.Ordinal);
        foreach (var account in await directory.ListAsync(organizationId, cancellationToken))
        {
            var grain = grains.GetGrain<IAccountGrain>(account.Id);
            accounts.Add(new ExportedAccount(account, await grain.Get(organizationId)));
            foreach (var found in await grain.GetDiscoveredClusters(organizationId) ?? []) clusterIds.Add(found.ClusterId);
        }

        var clusters = new List<ExportedCluster>();
        foreach (var clusterId in clusterIds)
        {
            var cluster = grains.GetGrain<IClusterGrain>(clusterId);
            if (await cluster.Get(organizationId) is { } view)
                clusters.Add(new ExportedCluster(view, await cluster.GetPolicy(organizationId), await cluster.GetHibernation(organizationId)));
        }

        var verification = await audit.VerifyAsync(organizationId, cancellationToken);
        var ledger = new ExportedLedger(await audit.RangeAsync(organizationId, null, null, cancellationToken), await audit.CheckpointsAsync(organizationId, cancellationToken),
            verification.HeadSeq, verification.HeadHash, verification.Intact);
        return new OrganizationExport(time.GetUtcNow(), organization, await data.UsersAsync(organizationId, cancellationToken), accounts, clusters,
            await grains.GetGrain<ITemplateCatalogGrain>(organizationId).List(), await retention.GetDaysAsync(organizationId, cancellationToken), ledger,
            await sources.Commitments.ListAsync(organizationId, cancellationToken));
    }

    /// <summary>
    /// Deletes the caller's organization. The export is taken first and returned with the answer (the customer leaves
    /// with their data, the ledger included); then <c>organization.deleted</c> is committed, so it survives whatever
    /// follows; then every account is unlinked (its clusters unmanaged) and the erasure runs. Every step can run
    /// again, so a failed deletion is finished by repeating the request.
    /// </summary>
    public static async Task<IResult> Delete(
        HttpRequest request, ClaimsPrincipal user, IdentityStore identity, AuditLedger ledger, OrganizationErasure erasure, [AsParameters] ExportSources sources,
        CancellationToken cancellationToken)
    {
        var (directory, grains) = (sources.Directory, sources.Grains);
        var (body, problem) = await JsonBody.ReadAsync<DeleteRequest>(request, cancellationToken);
        if (problem is not null) return problem;
        if (user.UserRole() == Roles.SuperAdmin)
        {
            return Problems.Of(StatusCodes.Status403Forbidden, "platform_organization", "Forbidden.", "The platform's own organization cannot be deleted.");
        }

        var organizationId = user.OrganizationId();
        if (await identity.GetOrganizationAsync(organizationId, cancellationToken) is not { } organization) return Problems.NotFound("organization");
        if (string.IsNullOrWhiteSpace(body!.Confirm)) return Problems.BadRequest("confirmation_required", "Send {\"confirm\": \"<organization name>\"}.");
        if (!string.Equals(body.Confirm.Trim(), organization.Name, StringComparison.Ordinal))
        {
            return Problems.BadRequest("confirmation_mismatch", "confirm must be the organization's name exactly.");
        }

        var export = await ExportAsync(organization, sources, cancellationToken);
        var accounts = await directory.ListAsync(organizationId, cancellationToken);
        await ledger.RecordAsync(organizationId, user.Actor(), "organization.deleted", $"organization:{organizationId}",
            $$"""{"accounts":{{accounts.Count}}}""", cancellationToken);
        var unmanaged = new List<string>();
        foreach (var account in accounts)
        {
            if (await grains.GetGrain<IAccountGrain>(account.Id).Unlink(organizationId, user.Actor()) is { } unlinked) unmanaged.AddRange(unlinked.UnmanagedClusters);
        }

        // Whatever is still managed (no account left to release it) stops too.
        foreach (var clusterId in await grains.GetGrain<IOrganizationGrain>(organizationId).GetManagedClusters())
        {
            if (await grains.GetGrain<IClusterGrain>(clusterId).Release(organizationId, user.Actor()) is { WasManaged: true }) unmanaged.Add(clusterId);
        }

        var erased = await erasure.EraseAsync(organizationId, cancellationToken);
        return TypedResults.Ok(new DeletedResponse(organizationId, accounts.Count, unmanaged, erased, export));
    }

    public sealed record DeleteRequest(string? Confirm) : IValidatable
    {
        // Missing or wrong confirmation has codes of its own (confirmation_required, confirmation_mismatch).
        public void Validate(ValidationErrors errors)
        {
        }
    }

    /// <param name="Export">The organization's export taken just before anything was deleted: the data the customer leaves with.</param>
    public sealed record DeletedResponse(string OrganizationId, int AccountsUnlinked, IReadOnlyList<string> ClustersUnmanaged, ErasureResult Erasure, OrganizationExport Export);

    public sealed record ExportedAccount(AccountRecord Account, AccountView? View);

    public sealed record ExportedCluster(ClusterView Cluster, PolicyView? Policy, HibernationView? Hibernation);

    /// <param name="Intact">What the platform's verification said at export time; the entries and checkpoints let anyone check again.</param>
    public sealed record ExportedLedger(IReadOnlyList<LedgerEntry> Entries, IReadOnlyList<LedgerCheckpoint> Checkpoints, long HeadSeq, string HeadHash, bool Intact);

    public sealed record OrganizationExport(
        DateTimeOffset ExportedAt, Organization Organization, IReadOnlyList<ExportedUser> Users, IReadOnlyList<ExportedAccount> Accounts,
        IReadOnlyList<ExportedCluster> Clusters, IReadOnlyList<NodeTemplate> Templates, int? AuditRetentionDays, ExportedLedger Audit,
        IReadOnlyList<CommitmentRecord> Commitments);
}

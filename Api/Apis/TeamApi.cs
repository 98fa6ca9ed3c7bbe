using System.Security.Claims;
using Microsoft.Extensions.Options;
using SpotOptimizer.Api.Auth;
using SpotOptimizer.Api.Http;
using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Api.Apis;

/// <summary>
/// The organization's people: everyone may see who is in it; only owners invite, change roles and remove. A changed
/// or removed user's sessions end at once (the new role applies from their next sign-in); the last owner stays.
/// </summary>
public static class TeamApi
{
    public static IEndpointRouteBuilder MapTeamApi(this IEndpointRouteBuilder app)
    {
        var team = app.MapGroup("/api/team").WithTags("team").RequireAuthorization(AuthServices.ClientPolicy);
        team.MapGet("/members", Members).Produces<MemberList>(StatusCodes.Status200OK);
        team.MapPatch("/members/{id}", ChangeRole).RequireAuthorization(AuthServices.OwnerPolicy).AcceptsJson<RoleRequest>().Produces<Member>(StatusCodes.Status200OK);
        team.MapDelete("/members/{id}", Remove).RequireAuthorization(AuthServices.OwnerPolicy).Produces(StatusCodes.Status204NoContent);
        team.MapGet("/invitations", Invitations).Produces<InvitationList>(StatusCodes.Status200OK);
        team.MapPost("/invitations", Invite).RequireAuthorization(AuthServices.OwnerPolicy).AcceptsJson<InvitationRequest>().Produces<PendingInvitation>(StatusCodes.Status201Created);
        team.MapDelete("/invitations/{id}", CancelInvitation).RequireAuthorization(AuthServices.OwnerPolicy).Produces(StatusCodes.Status204NoContent);
        return app;
    }

    public static async Task<IResult> Members(ClaimsPrincipal principal, TeamStore team, CancellationToken cancellationToken) =>
        TypedResults.Ok(new MemberList([.. (await team.ListMembersAsync(principal.OrganizationId(), cancellationToken)).Select(Member.Of)]));

    public static async Task<IResult> ChangeRole(string id, HttpRequest request, ClaimsPrincipal principal, TeamStore team, CancellationToken cancellationToken)
    {
        if (!Ids.TryNormalize(id, out var userId)) return Ids.Invalid("id");
        var (body, problem) = await JsonBody.ReadAsync<RoleRequest>(request, cancellationToken);
        if (problem is not null) return problem;
        return await Outcome(await team.ChangeRoleAsync(principal.OrganizationId(), userId, body!.Role!, principal.Actor(), cancellationToken),
            principal, userId, team, cancellationToken);
    }

    public static async Task<IResult> Remove(string id, ClaimsPrincipal principal, TeamStore team, CancellationToken cancellationToken)
    {
        if (!Ids.TryNormalize(id, out var userId)) return Ids.Invalid("id");
        var change = await team.RemoveAsync(principal.OrganizationId(), userId, principal.Actor(), cancellationToken);
        return change == TeamChange.Done ? TypedResults.NoContent() : await Outcome(change, principal, userId, team, cancellationToken);
    }

    public static async Task<IResult> Invitations(ClaimsPrincipal principal, TeamStore team, CancellationToken cancellationToken) =>
        TypedResults.Ok(new InvitationList([.. (await team.ListInvitationsAsync(principal.OrganizationId(), cancellationToken)).Select(PendingInvitation.Of)]));

    /// <summary>E-mails an accept link; the token exists only in that e-mail.</summary>
    public static async Task<IResult> Invite(
        HttpRequest request, ClaimsPrincipal principal, TeamStore team, IdentityStore identity, AuthMail mail, AuthOutbox outbox,
        IOptions<AuthOptions> options, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<InvitationRequest>(request, cancellationToken);
        if (problem is not null) return problem;
        (Invitation Invitation, string Token) created;
        try
        {
            created = await team.InviteAsync(principal.OrganizationId(), body!.Email!.Trim(), body.Role!, options.Value.InvitationLifetime,
                principal.Actor(), cancellationToken);
        }
        catch (DuplicateException)
        {
            return Problems.Conflict("email_taken", "An account with this email already exists.");
        }

        var organization = await identity.GetOrganizationAsync(principal.OrganizationId(), cancellationToken);
        outbox.Enqueue(mail.Invitation(created.Invitation.Email, organization?.Name ?? "your team", created.Invitation.OrgRole, mail.BaseUrl(request), created.Token));
        return TypedResults.Created($"/api/team/invitations/{created.Invitation.Id}", PendingInvitation.Of(created.Invitation));
    }

    public static async Task<IResult> CancelInvitation(string id, ClaimsPrincipal principal, TeamStore team, CancellationToken cancellationToken)
    {
        if (!Ids.TryNormalize(id, out var invitationId)) return Ids.Invalid("id");
        return await team.CancelInvitationAsync(principal.OrganizationId(), invitationId, principal.Actor(), cancellationToken)
            ? TypedResults.NoContent()
            : Problems.NotFound("invitation");
    }

    private static async Task<IResult> Outcome(TeamChange change, ClaimsPrincipal principal, string userId, TeamStore team, CancellationToken cancellationToken) => change switch
    {
        TeamChange.NotFound => Problems.NotFound("member"),
        TeamChange.LastOwner => Problems.Conflict("last_owner", "An organization keeps at least one owner: make someone else owner first."),
        _ => TypedResults.Ok(Member.Of((await team.ListMembersAsync(principal.OrganizationId(), cancellationToken)).Single(m => m.Id == userId))),
    };

    public sealed record RoleRequest(string? Role) : IValidatable
    {
        public void Validate(ValidationErrors errors)
        {
            if (errors.Required("role", Role) && !OrganizationRoles.IsKnown(Role)) errors.Add("role", $"must be one of: {string.Join(", ", OrganizationRoles.All)}.");
        }
    }

    public sealed record InvitationRequest(string? Email, string? Role) : IValidatable
    {
        public void Validate(ValidationErrors errors)
        {
            if (errors.Required("email", Email)) EmailRule.Check(Email!, errors);
            if (errors.Required("role", Role) && !OrganizationRoles.IsKnown(Role)) errors.Add("role", $"must be one of: {string.Join(", ", OrganizationRoles.All)}.");
        }
    }

    public sealed record Member(string UserId, string Email, string Role, DateTimeOffset JoinedAt)
    {
        public static Member Of(User user) => new(user.Id, user.Email, user.OrgRole, user.CreatedAt);
    }

    public sealed record MemberList(IReadOnlyList<Member> Members);

    public sealed record PendingInvitation(string InvitationId, string Email, string Role, string InvitedBy, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt)
    {
        public static PendingInvitation Of(Invitation invitation) =>
            new(invitation.Id, invitation.Email, invitation.OrgRole, invitation.InvitedBy, invitation.CreatedAt, invitation.ExpiresAt);
    }

    public sealed record InvitationList(IReadOnlyList<PendingInvitation> Invitations);
}

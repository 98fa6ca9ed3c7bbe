using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;

namespace SpotOptimizer.Api.Auth;

/// <summary>Claim names in our tokens and the caller's identity read from them.</summary>
public static class TenantClaims
{
    public const string Subject = JwtRegisteredClaimNames.Sub;
    public const string Organization = "org";
    public const string Role = "role";
    public const string Email = "email";
    public const string Impersonator = "impersonator";
    public const string OrgRole = "org_role";
    public const string Session = "sid";

    public static string UserId(this ClaimsPrincipal user) => user.FindFirstValue(Subject) ?? throw MissingClaim(Subject);

    public static string OrganizationId(this ClaimsPrincipal user) => user.FindFirstValue(Organization) ?? throw MissingClaim(Organization);

    public static string UserRole(this ClaimsPrincipal user) => user.FindFirstValue(Role) ?? throw MissingClaim(Role);

    /// <summary>The caller's role in the organization; a token without one may only read.</summary>
    public static string OrganizationRole(this ClaimsPrincipal user) =>
        user.FindFirstValue(OrgRole) is { } role && Tenancy.OrganizationRoles.IsKnown(role) ? role : Tenancy.OrganizationRoles.ReadOnly;

    /// <summary>The sign-in session the token belongs to; impersonation tokens have none.</summary>
    public static string? SessionId(this ClaimsPrincipal user) => user.FindFirstValue(Session);

    public static string? TokenId(this ClaimsPrincipal user) => user.FindFirstValue(JwtRegisteredClaimNames.Jti);

    /// <summary>How the caller appears in activity and audit records.</summary>
    public static string Actor(this ClaimsPrincipal user) => $"user:{user.UserId()}";

    private static InvalidOperationException MissingClaim(string claim) => new($"The token has no '{claim}' claim.");
}

using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Api.Auth;

public sealed record IssuedToken(string Token, string TokenId, DateTimeOffset ExpiresAt);

/// <summary>
/// Signs the API's access tokens (JWTs): who (sub), which organization (org), the platform role (role), the role in
/// the organization (org_role), the sign-in session (sid) and an id for revocation (jti).
/// </summary>
public sealed class TokenIssuer(SymmetricSecurityKey key, IOptions<AuthOptions> options, TimeProvider time)
{
    private readonly JwtSecurityTokenHandler _handler = new() { MapInboundClaims = false };

    /// <param name="impersonator">A super admin acting for the organization: they act as its owner, without a session.</param>
    public IssuedToken Issue(User user, TimeSpan? lifetime = null, string? impersonator = null, string? sessionId = null)
    {
        var now = time.GetUtcNow();
        var expires = now + (lifetime ?? options.Value.AccessLifetime);
        var tokenId = Guid.NewGuid().ToString("N");
        var claims = new List<Claim>
        {
            new(TenantClaims.Subject, user.Id),
            new(TenantClaims.Organization, user.OrganizationId),
            new(TenantClaims.Role, user.Role),
            new(TenantClaims.Email, user.Email),
            new(TenantClaims.OrgRole, impersonator is null ? user.OrgRole : OrganizationRoles.Owner),
            new(JwtRegisteredClaimNames.Jti, tokenId),
        };
        if (sessionId is not null) claims.Add(new Claim(TenantClaims.Session, sessionId));
        if (impersonator is not null) claims.Add(new Claim(TenantClaims.Impersonator, impersonator));
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = AuthOptions.Issuer,
            Audience = AuthOptions.Audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        };
        return new IssuedToken(_handler.WriteToken(_handler.CreateToken(descriptor)), tokenId, expires);
    }
}

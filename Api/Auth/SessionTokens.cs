using Microsoft.Extensions.Options;
using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Api.Auth;

/// <summary>What a sign-in or a refresh hands out: a short access token and the session's next refresh token.</summary>
public sealed record TokenPair(User User, IssuedToken Access, SessionGrant Refresh);

/// <summary>Starts sign-in sessions and rotates their refresh tokens into new token pairs.</summary>
public sealed class SessionTokens(TokenIssuer issuer, SessionStore sessions, IdentityStore identity, IOptions<AuthOptions> options)
{
    public async Task<TokenPair> SignInAsync(User user, CancellationToken cancellationToken)
    {
        var grant = await sessions.StartAsync(user, options.Value.AccessLifetime, options.Value.RefreshTokenLifetime, cancellationToken);
        return new TokenPair(user, issuer.Issue(user, sessionId: grant.SessionId), grant);
    }

    /// <returns>The new pair, or why the presented token was refused.</returns>
    public async Task<(TokenPair? Pair, RefreshVerdict Verdict)> RefreshAsync(string refreshToken, CancellationToken cancellationToken)
    {
        var rotation = await sessions.RotateAsync(refreshToken, options.Value.AccessLifetime, options.Value.RefreshTokenLifetime, cancellationToken);
        if (rotation.Verdict != RefreshVerdict.Rotated) return (null, rotation.Verdict);
        // The user is read afresh, so the new access token carries their current role and e-mail.
        var user = await identity.GetAsync(rotation.UserId!, cancellationToken);
        if (user is null)
        {
            await sessions.EndAsync(rotation.Grant!.SessionId, "user_gone", cancellationToken);
            return (null, RefreshVerdict.Revoked);
        }

        return (new TokenPair(user, issuer.Issue(user, sessionId: rotation.Grant!.SessionId), rotation.Grant), RefreshVerdict.Rotated);
    }
}

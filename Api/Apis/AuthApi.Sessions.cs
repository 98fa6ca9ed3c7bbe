using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using SpotOptimizer.Api.Auth;
using SpotOptimizer.Api.Http;
using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Api.Apis;

/// <summary>A signed-in user's own session: refreshing its tokens and changing the password.</summary>
public static partial class AuthApi
{
    /// <summary>Spends the refresh token for a new pair; a spent one presented again revokes its whole session.</summary>
    public static async Task<IResult> Refresh(HttpRequest request, SessionTokens sessions, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<RefreshRequest>(request, cancellationToken);
        if (problem is not null) return problem;
        var (pair, verdict) = await sessions.RefreshAsync(body!.RefreshToken!, cancellationToken);
        return verdict switch
        {
            RefreshVerdict.Rotated => TypedResults.Ok(TokenResponse.Of(pair!)),
            RefreshVerdict.Reused => Problems.Unauthorized("refresh_token_reused",
                "This refresh token was already used, so a copy of it exists: its session is ended. Sign in again."),
            _ => Problems.Unauthorized("invalid_refresh_token", "The refresh token is unknown, expired or its session has ended. Sign in again."),
        };
    }

    /// <summary>Needs the current password; ends every other session of the user, keeps the caller's.</summary>
    public static async Task<IResult> ChangePassword(
        HttpRequest request, ClaimsPrincipal principal, IdentityStore identity, CredentialStore credentials, IPasswordHasher<User> hasher,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<ChangePasswordRequest>(request, cancellationToken);
        if (problem is not null) return problem;
        var user = await identity.GetAsync(principal.UserId(), cancellationToken);
        if (user is null) return Problems.Unauthorized("unknown_user", "The token's user no longer exists.");
        if (hasher.VerifyHashedPassword(user, user.PasswordHash, body!.CurrentPassword!) == PasswordVerificationResult.Failed)
        {
            return Problems.Of(StatusCodes.Status403Forbidden, "wrong_password", "The current password is wrong.");
        }

        if (WeakPassword("new_password", body.NewPassword!, user.Email) is { } weak) return weak;
        var revoked = await credentials.ChangePasswordAsync(user, hasher.HashPassword(user, body.NewPassword!), principal.SessionId(), cancellationToken);
        return TypedResults.Ok(new PasswordChangedResponse(true, revoked));
    }

    /// <summary><see cref="PasswordPolicy"/> for an account whose e-mail is known only after the body was read.</summary>
    private static IResult? WeakPassword(string field, string password, string email)
    {
        var errors = new ValidationErrors();
        foreach (var weakness in PasswordPolicy.Problems(password, email)) errors.Add(field, weakness);
        return errors.Any ? Problems.Validation(errors.ToDictionary()) : null;
    }
}

public sealed record RefreshRequest(string? RefreshToken) : IValidatable
{
    public void Validate(ValidationErrors errors) => errors.Required("refresh_token", RefreshToken);
}

public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword) : IValidatable
{
    public void Validate(ValidationErrors errors)
    {
        errors.Required("current_password", CurrentPassword);
        errors.Required("new_password", NewPassword);
    }
}

public sealed record PasswordChangedResponse(bool Success, int SessionsRevoked);

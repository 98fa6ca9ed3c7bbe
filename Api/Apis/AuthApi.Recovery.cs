using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using SpotOptimizer.Api.Auth;
using SpotOptimizer.Api.Http;
using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Api.Apis;

/// <summary>The doors for people without a session: a password-reset link by e-mail, and accepting an invitation.</summary>
public static partial class AuthApi
{
    /// <summary>Always 202, and as fast for an unknown e-mail as for a real one: nothing tells who has an account.</summary>
    public static async Task<IResult> RequestPasswordReset(
        HttpRequest request, IdentityStore identity, CredentialStore credentials, AuthMail mail, AuthOutbox outbox, IOptions<AuthOptions> options,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<PasswordResetRequest>(request, cancellationToken);
        if (problem is not null) return problem;
        if (await identity.FindByEmailAsync(body!.Email!, cancellationToken) is { } user)
        {
            var (token, _) = await credentials.RequestResetAsync(user, options.Value.PasswordResetLifetime, cancellationToken);
            outbox.Enqueue(mail.PasswordReset(user.Email, mail.BaseUrl(request), token));
        }

        return TypedResults.Accepted((string?)null, new PasswordResetAccepted("If an account has this e-mail, a reset link is on its way."));
    }

    /// <summary>Sets the new password once per link and ends every session of the account.</summary>
    public static async Task<IResult> ConfirmPasswordReset(
        HttpRequest request, CredentialStore credentials, IPasswordHasher<User> hasher, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<PasswordResetConfirmation>(request, cancellationToken);
        if (problem is not null) return problem;
        var user = await credentials.FindResetUserAsync(body!.Token!, cancellationToken);
        if (user is null) return InvalidResetToken();
        if (WeakPassword("new_password", body.NewPassword!, user.Email) is { } weak) return weak;
        return await credentials.ResetAsync(body.Token!, hasher.HashPassword(user, body.NewPassword!), cancellationToken) is null
            ? InvalidResetToken()
            : TypedResults.Ok(new PasswordResetDone(true));
    }

    /// <summary>Creates the invited user in the inviting organization with the invited role, signed in like a sign-up.</summary>
    public static async Task<IResult> AcceptInvitation(
        HttpRequest request, TeamStore team, IPasswordHasher<User> hasher, SessionTokens sessions, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<AcceptInvitationRequest>(request, cancellationToken);
        if (problem is not null) return problem;
        var invitation = await team.FindByTokenAsync(body!.Token!, cancellationToken);
        if (invitation is null) return InvalidInvitationToken();
        if (WeakPassword("password", body.Password!, invitation.Email) is { } weak) return weak;
        User? user;
        try
        {
            user = await team.AcceptAsync(body.Token!, hasher.HashPassword(null!, body.Password!), cancellationToken);
        }
        catch (DuplicateException)
        {
            return Problems.Conflict("email_taken", "An account with this email already exists.");
        }

        return user is null ? InvalidInvitationToken() : TypedResults.Created("/api/auth/me", SignupResponse.Of(await sessions.SignInAsync(user, cancellationToken)));
    }

    private static IResult InvalidResetToken() =>
        Problems.BadRequest("invalid_reset_token", "The reset link is unknown, already used or expired. Ask for a new one.");

    private static IResult InvalidInvitationToken() =>
        Problems.BadRequest("invalid_invitation_token", "The invitation is unknown, already accepted, cancelled or expired. Ask for a new one.");
}

public sealed record PasswordResetRequest(string? Email) : IValidatable
{
    public void Validate(ValidationErrors errors) => errors.Required("email", Email);
}

public sealed record PasswordResetConfirmation(string? Token, string? NewPassword) : IValidatable
{
    public void Validate(ValidationErrors errors)
    {
        errors.Required("token", Token);
        errors.Required("new_password", NewPassword);
    }
}

public sealed record AcceptInvitationRequest(string? Token, string? Password) : IValidatable
{
    public void Validate(ValidationErrors errors)
    {
        errors.Required("token", Token);
        errors.Required("password", Password);
    }
}

public sealed record PasswordResetAccepted(string Detail);

public sealed record PasswordResetDone(bool Success);

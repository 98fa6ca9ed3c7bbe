using System.Net.Mail;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using SpotOptimizer.Api.Auth;
using SpotOptimizer.Api.Http;
using SpotOptimizer.Grains.Interfaces.Accounts;
using Orleans;
using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Api.Apis;

public static partial class AuthApi
{
    public static RouteGroupBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth").WithTags("auth");
        auth.MapPost("/signup", Signup).RequireClientRateLimit(AuthServices.SignupLimit).AcceptsJson<SignupRequest>().Produces<SignupResponse>(StatusCodes.Status201Created);
        auth.MapPost("/token", Token).RequireClientRateLimit(AuthServices.TokenLimit).AcceptsJson<TokenRequest>().Produces<TokenResponse>(StatusCodes.Status200OK);
        auth.MapGet("/me", Me).RequireAuthorization().Produces<MeResponse>(StatusCodes.Status200OK);
        auth.MapPost("/logout", Logout).RequireAuthorization().Produces<LogoutResponse>(StatusCodes.Status200OK);
        auth.MapPost("/refresh", Refresh).AcceptsJson<RefreshRequest>().Produces<TokenResponse>(StatusCodes.Status200OK);
        // Counted with sign-ins: a stolen access token must not become a way to guess the password.
        auth.MapPost("/password", ChangePassword).RequireAuthorization(AuthServices.ClientPolicy).RequireClientRateLimit(AuthServices.TokenLimit)
            .AcceptsJson<ChangePasswordRequest>().Produces<PasswordChangedResponse>(StatusCodes.Status200OK);
        auth.MapPost("/password-reset", RequestPasswordReset).RequireClientRateLimit(AuthServices.PasswordResetLimit)
            .AcceptsJson<PasswordResetRequest>().Produces<PasswordResetAccepted>(StatusCodes.Status202Accepted);
        auth.MapPost("/password-reset/confirm", ConfirmPasswordReset).RequireClientRateLimit(AuthServices.PasswordResetLimit)
            .AcceptsJson<PasswordResetConfirmation>().Produces<PasswordResetDone>(StatusCodes.Status200OK);
        auth.MapPost("/invitations/accept", AcceptInvitation).RequireClientRateLimit(AuthServices.SignupLimit).AcceptsJson<AcceptInvitationRequest>().Produces<SignupResponse>(StatusCodes.Status201Created);
        return auth;
    }

    public static async Task<IResult> Signup(
        HttpRequest request, IdentityStore identity, IPasswordHasher<User> hasher, SessionTokens sessions, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<SignupRequest>(request, cancellationToken);
        if (problem is not null) return problem;
        SignupResult created;
        try
        {
            created = await identity.SignupAsync(body!.OrgName!, body.Email!, hasher.HashPassword(null!, body.Password!), Roles.Client, cancellationToken);
        }
        catch (DuplicateException)
        {
            return Problems.Conflict("email_taken", "An account with this email already exists.");
        }

        return TypedResults.Created("/api/auth/me", SignupResponse.Of(await sessions.SignInAsync(created.User, cancellationToken)));
    }

    public static async Task<IResult> Token(
        HttpRequest request, IdentityStore identity, IPasswordHasher<User> hasher, SessionTokens sessions, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<TokenRequest>(request, cancellationToken);
        if (problem is not null) return problem;
        var user = await identity.FindByEmailAsync(body!.Email!, cancellationToken);
        // One answer, and the same hashing work, for an unknown email and a wrong password: neither the body nor the
        // response time tells who has an account.
        var verdict = hasher.VerifyHashedPassword(user!, user?.PasswordHash ?? UnknownUserHash.Value, body.Password!);
        if (user is null || verdict == PasswordVerificationResult.Failed)
        {
            return Problems.Unauthorized("invalid_credentials", "The email or password is wrong.");
        }

        return TypedResults.Ok(TokenResponse.Of(await sessions.SignInAsync(user, cancellationToken)));
    }

    public static async Task<IResult> Me(
        ClaimsPrincipal principal, IdentityStore identity, AccountDirectory accounts, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var user = await identity.GetAsync(principal.UserId(), cancellationToken);
        if (user is null) return Problems.Unauthorized("unknown_user", "The token's user no longer exists.");
        var organization = await identity.GetOrganizationAsync(principal.OrganizationId(), cancellationToken);
        var redirect = user.Role == Roles.SuperAdmin ? "/admin" : await ClientLandingAsync(user.OrganizationId, accounts, grains, cancellationToken);
        return TypedResults.Ok(new MeResponse(user.Id, user.Email, user.Role, principal.OrganizationRole(), user.OrganizationId, organization?.Name, redirect));
    }

    /// <summary>Ends the token's session too: its refresh token and the session's other access tokens stop.</summary>
    public static async Task<IResult> Logout(
        ClaimsPrincipal principal, RevokedTokens revoked, SessionStore sessions, AuditLedger ledger, CancellationToken cancellationToken)
    {
        var expiresAt = principal.FindFirst("exp") is { } exp && long.TryParse(exp.Value, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : DateTimeOffset.UtcNow.AddDays(1);
        await revoked.RevokeAsync(principal.TokenId()!, expiresAt, cancellationToken);
        if (principal.SessionId() is { } session) await sessions.EndAsync(session, "logout", cancellationToken);
        await ledger.RecordAsync(principal.OrganizationId(), principal.Actor(), "user.logged_out", $"user:{principal.UserId()}",
            null, cancellationToken);
        return TypedResults.Ok(new LogoutResponse(true));
    }

    /// <summary>A real hash of a random secret, so checking a password for an unknown email costs what a real check costs.</summary>
    internal static readonly Lazy<string> UnknownUserHash = new(() =>
        new PasswordHasher<User>().HashPassword(null!, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))));

    /// <summary>Onboarding until one AWS account is active, the dashboard after.</summary>
    private static async Task<string> ClientLandingAsync(string organizationId, AccountDirectory accounts, IGrainFactory grains, CancellationToken cancellationToken)
    {
        foreach (var account in await accounts.ListAsync(organizationId, cancellationToken))
        {
            var view = await grains.GetGrain<IAccountGrain>(account.Id).Get(organizationId);
            if (view?.Status == AccountStatus.Active) return "/dashboard";
        }

        return "/onboarding";
    }
}

public sealed record SignupRequest(string? OrgName, string? Email, string? Password) : IValidatable
{
    public void Validate(ValidationErrors errors)
    {
        if (errors.Required("org_name", OrgName) && OrgName!.Trim().Length > 100) errors.Add("org_name", "must be at most 100 characters.");
        var emailOk = errors.Required("email", Email) && EmailRule.Check(Email!, errors);
        if (!errors.Required("password", Password)) return;
        foreach (var problem in PasswordPolicy.Problems(Password!, emailOk ? Email! : "")) errors.Add("password", problem);
    }
}

public sealed record TokenRequest(string? Email, string? Password) : IValidatable
{
    public void Validate(ValidationErrors errors)
    {
        errors.Required("email", Email);
        errors.Required("password", Password);
    }
}

public sealed record SignupResponse(
    string UserId, string OrganizationId, string Token, DateTimeOffset ExpiresAt, string RefreshToken, DateTimeOffset RefreshExpiresAt)
{
    public static SignupResponse Of(TokenPair pair) =>
        new(pair.User.Id, pair.User.OrganizationId, pair.Access.Token, pair.Access.ExpiresAt, pair.Refresh.RefreshToken, pair.Refresh.RefreshExpiresAt);
}

public sealed record TokenResponse(
    string JwtToken, string Role, string OrgRole, DateTimeOffset ExpiresAt, string RefreshToken, DateTimeOffset RefreshExpiresAt)
{
    public static TokenResponse Of(TokenPair pair) =>
        new(pair.Access.Token, pair.User.Role, pair.User.OrgRole, pair.Access.ExpiresAt, pair.Refresh.RefreshToken, pair.Refresh.RefreshExpiresAt);
}

public sealed record MeResponse(
    string UserId, string Email, string Role, string OrgRole, string OrganizationId, string? OrganizationName, string RedirectPath);

public sealed record LogoutResponse(bool Success);

internal static class EmailRule
{
    public static bool Check(string email, ValidationErrors errors)
    {
        var trimmed = email.Trim();
        // A routable domain: a DNS name with a dot (not "localhost", "example." or an address literal).
        if (trimmed.Length <= 254 && MailAddress.TryCreate(trimmed, out var parsed) && parsed.Address == trimmed
            && !parsed.User.StartsWith('"') && !parsed.User.EndsWith('.')
            && parsed.Host.Contains('.', StringComparison.Ordinal) && !parsed.Host.EndsWith('.')
            && Uri.CheckHostName(parsed.Host) == UriHostNameType.Dns
            && parsed.Host.Split('.').All(label => label.Length > 0 && !label.StartsWith('-') && !label.EndsWith('-') && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')))
        {
            return true;
        }

        errors.Add("email", "is not a valid email address.");
        return false;
    }
}

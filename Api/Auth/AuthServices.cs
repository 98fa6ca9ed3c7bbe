using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Identity;
using Microsoft.IdentityModel.Tokens;
using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Api.Auth;

public static class AuthServices
{
    public const string SignupLimit = "signup";
    public const string TokenLimit = "token";
    public const string PasswordResetLimit = "password_reset";
    public const string ClientPolicy = "client";
    public const string SuperAdminPolicy = "super_admin";

    /// <summary>
    /// Owner-only routes (team management, and whatever else only an organization's owners may do): put this policy
    /// on them; <see cref="RoleGate"/> then answers other roles 403 <c>forbidden_role</c>.
    /// </summary>
    public const string OwnerPolicy = "owner";

    public static IHostApplicationBuilder AddAuth(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        builder.Services.Configure<AuthOptions>(builder.Configuration.GetSection(AuthOptions.Section));
        var key = SigningKey.Resolve(options, builder.Configuration);
        builder.Services.AddSingleton(key);
        builder.Services.AddSingleton<TokenIssuer>();
        builder.Services.AddSingleton<SessionTokens>();
        builder.Services.AddAuthMail();
        builder.Services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        builder.Services.AddHostedService<SuperAdminSeeder>();

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(jwt =>
        {
            jwt.MapInboundClaims = false;
            jwt.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = AuthOptions.Issuer,
                ValidAudience = AuthOptions.Audience,
                IssuerSigningKey = key,
                ClockSkew = TimeSpan.FromSeconds(30),
                NameClaimType = TenantClaims.Subject,
                RoleClaimType = TenantClaims.Role,
            };
            jwt.Events = new JwtBearerEvents
            {
                // Browsers cannot set headers on WebSocket requests, so hubs take the token from the query string.
                OnMessageReceived = context =>
                {
                    // Agent tokens are not JWTs; the heartbeat endpoint checks them itself.
                    if (context.Request.Headers.Authorization.ToString().StartsWith("Bearer soa_", StringComparison.Ordinal))
                    {
                        context.NoResult();
                        return Task.CompletedTask;
                    }

                    if (context.HttpContext.Request.Path.StartsWithSegments("/hubs")
                        && context.Request.Query["access_token"] is { Count: > 0 } token)
                    {
                        context.Token = token;
                    }

                    // The Orleans Dashboard is a browser page: its own requests carry the admin's token in a cookie.
                    if (context.HttpContext.Request.Path.StartsWithSegments(DashboardAccess.Path) && string.IsNullOrEmpty(context.Token))
                    {
                        context.Token = DashboardAccess.TokenOf(context.Request);
                    }

                    return Task.CompletedTask;
                },
                OnTokenValidated = context =>
                {
                    var services = context.HttpContext.RequestServices;
                    if (context.Principal?.TokenId() is not { } tokenId || services.GetRequiredService<RevokedTokens>().IsRevoked(tokenId)
                        || (context.Principal.SessionId() is { } session && services.GetRequiredService<RevokedSessions>().IsRevoked(session)))
                    {
                        context.Fail("The token was revoked.");
                    }

                    // A deleted organization's users are gone: every token naming it is refused, on every instance.
                    if (context.Principal?.FindFirst(TenantClaims.Organization)?.Value is { } organization
                        && services.GetRequiredService<SpotOptimizer.Tenancy.Lifecycle.ErasedOrganizations>().Contains(organization))
                    {
                        context.Fail("The organization was deleted.");
                    }

                    return Task.CompletedTask;
                },
            };
        });
        // Token lifetimes are judged by the product's clock, the one every expiry is computed with.
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<TimeProvider>((jwt, time) => jwt.TokenValidationParameters.LifetimeValidator = (notBefore, expires, _, parameters) =>
            {
                var now = time.GetUtcNow().UtcDateTime;
                return expires is { } end && end > now - parameters.ClockSkew && (notBefore is not { } start || start <= now + parameters.ClockSkew);
            });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ClientPolicy, p => p.RequireClaim(TenantClaims.Organization).RequireRole(Roles.Client, Roles.SuperAdmin))
            .AddPolicy(OwnerPolicy, p => p.RequireClaim(TenantClaims.Organization).RequireRole(Roles.Client, Roles.SuperAdmin)
                .RequireClaim(TenantClaims.OrgRole, OrganizationRoles.Owner))
            .AddPolicy(SuperAdminPolicy, p => p.RequireRole(Roles.SuperAdmin));

        // Created by the container so that it is disposed with it (its limiters' timers stop).
        builder.Services.AddSingleton(_ => new ClientRateLimits(options));
        return builder;
    }
}

using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.IdentityModel.Tokens;
using SpotOptimizer.Api.Http;
using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Api.Auth;

public static class AuthServices
{
    public const string SignupLimit = "signup";
    public const string TokenLimit = "token";
    public const string ClientPolicy = "client";
    public const string SuperAdminPolicy = "super_admin";

    public static IHostApplicationBuilder AddAuth(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        builder.Services.Configure<AuthOptions>(builder.Configuration.GetSection(AuthOptions.Section));
        var key = SigningKey.Resolve(options, builder.Configuration);
        builder.Services.AddSingleton(key);
        builder.Services.AddSingleton<TokenIssuer>();
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
                    var revoked = context.HttpContext.RequestServices.GetRequiredService<RevokedTokens>();
                    if (context.Principal?.TokenId() is not { } tokenId || revoked.IsRevoked(tokenId)) context.Fail("The token was revoked.");
                    // A deleted organization's users are gone: every token naming it is refused, on every instance.
                    if (context.Principal?.FindFirst(TenantClaims.Organization)?.Value is { } organization
                        && context.HttpContext.RequestServices.GetRequiredService<SpotOptimizer.Tenancy.Lifecycle.ErasedOrganizations>().Contains(organization))
                    {
                        context.Fail("The organization was deleted.");
                    }

                    return Task.CompletedTask;
                },
            };
        });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ClientPolicy, p => p.RequireClaim(TenantClaims.Organization).RequireRole(Roles.Client, Roles.SuperAdmin))
            .AddPolicy(SuperAdminPolicy, p => p.RequireRole(Roles.SuperAdmin));

        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(SignupLimit, http => PerClient(http, options.SignupsPerHourPerClient, TimeSpan.FromHours(1)));
            limiter.AddPolicy(TokenLimit, http => PerClient(http, options.TokenRequestsPerMinutePerClient, TimeSpan.FromMinutes(1)));
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                var problem = Problems.Of(StatusCodes.Status429TooManyRequests, "rate_limited", "Too many requests.",
                    $"Try again in {Math.Ceiling(retryAfter.TotalSeconds)} seconds.");
                await problem.ExecuteAsync(context.HttpContext);
            };
        });
        return builder;
    }

    private static RateLimitPartition<string> PerClient(HttpContext http, int permits, TimeSpan window) =>
        RateLimitPartition.GetFixedWindowLimiter(
            http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = window, QueueLimit = 0 });
}

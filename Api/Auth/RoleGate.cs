using System.Collections.Frozen;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using SpotOptimizer.Api.Http;
using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Api.Auth;

/// <summary>
/// Organization roles, decided for every endpoint from its HTTP method, so a new endpoint cannot forget them:
/// GET and HEAD are open to every role; any other method needs a member or an owner, except the routes in
/// <see cref="ReadOnlyAllowed"/>; routes carrying <see cref="AuthServices.OwnerPolicy"/> need an owner whatever the
/// method. Refusals are 403 <c>forbidden_role</c>. Anonymous callers pass on to the endpoint's own authorization.
/// </summary>
public static class RoleGate
{
    /// <summary>
    /// Mutating routes every signed-in role may call: their own session (logout, refresh, change password) and the
    /// doors that act for no signed-in user (sign-up, sign-in, password reset, accepting an invitation).
    /// </summary>
    public static readonly FrozenSet<string> ReadOnlyAllowed = FrozenSet.ToFrozenSet(
    [
        "POST /api/auth/logout", "POST /api/auth/refresh", "POST /api/auth/password",
        "POST /api/auth/signup", "POST /api/auth/token", "POST /api/auth/password-reset", "POST /api/auth/password-reset/confirm",
        "POST /api/auth/invitations/accept",
    ], StringComparer.Ordinal);

    /// <summary>The organization role a request needs, or null when any role will do.</summary>
    public static string? Requires(Endpoint endpoint, string method)
    {
        if (endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy == AuthServices.OwnerPolicy)) return OrganizationRoles.Owner;
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method)) return null;
        // Hubs only push the caller's own feeds to it; a hub method that changes anything must check the role itself.
        if (endpoint.Metadata.GetMetadata<HubMetadata>() is not null) return null;
        var pattern = (endpoint as RouteEndpoint)?.RoutePattern.RawText ?? "";
        return ReadOnlyAllowed.Contains($"{method.ToUpperInvariant()} /{pattern.TrimStart('/')}") ? null : OrganizationRoles.Member;
    }

    public static bool Allows(string callerRole, string? required) => required switch
    {
        null => true,
        OrganizationRoles.Member => callerRole is OrganizationRoles.Member or OrganizationRoles.Owner,
        _ => callerRole == OrganizationRoles.Owner,
    };

    /// <summary>After authentication, before authorization (so the refusal carries its own code).</summary>
    public static WebApplication UseRoleGate(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (context.User.Identity?.IsAuthenticated == true && context.GetEndpoint() is { } endpoint
                && Requires(endpoint, context.Request.Method) is { } required && !Allows(context.User.OrganizationRole(), required))
            {
                await Problems.Of(StatusCodes.Status403Forbidden, "forbidden_role", "Your role does not allow this.",
                    $"This needs the {required.Replace('_', '-')} role in your organization; you are {context.User.OrganizationRole().Replace('_', '-')}.")
                    .ExecuteAsync(context);
                return;
            }

            await next(context);
        });
        return app;
    }
}

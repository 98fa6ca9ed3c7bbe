using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Api.Auth;

/// <summary>
/// The Orleans Dashboard (<see cref="Path"/>; the product's own dashboard is the web UI's <c>/dashboard</c>) is for
/// super admins. A browser cannot attach a bearer header to the page and its background requests, so the first visit
/// passes <c>?access_token=…</c> and, once that token is validated as a super admin's, it is kept in an HttpOnly cookie
/// limited to the dashboard's path.
/// </summary>
public static class DashboardAccess
{
    public const string Path = "/orleans";
    public const string CookieName = "spotoptimizer_dashboard";

    public static string? TokenOf(HttpRequest request) =>
        request.Query["access_token"] is { Count: > 0 } query ? query.ToString() : request.Cookies[CookieName];

    /// <summary>After authorization: remembers a token that came in the query string.</summary>
    public static WebApplication UseDashboardAccessCookie(this WebApplication app)
    {
        app.UseWhen(context => context.Request.Path.StartsWithSegments(Path), branch => branch.Use(async (context, next) =>
        {
            if (context.User.IsInRole(Roles.SuperAdmin) && context.Request.Query["access_token"] is { Count: > 0 } token)
            {
                context.Response.Cookies.Append(CookieName, token.ToString(), new CookieOptions
                {
                    HttpOnly = true,
                    Secure = context.Request.IsHttps,
                    SameSite = SameSiteMode.Strict,
                    Path = Path,
                });
            }

            await next(context);
        }));
        return app;
    }
}

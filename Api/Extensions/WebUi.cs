namespace SpotOptimizer.Api.Extensions;

/// <summary>
/// The web UI (<c>Dashboard/</c>, Blazor WebAssembly) served by the platform: its files as static assets, and its page
/// routes answered with its <c>index.html</c> so a bookmarked link works. Only the UI's own routes fall back to the
/// page; any other unknown path stays a 404 ProblemDetails, as API clients expect.
/// </summary>
public static class WebUi
{
    /// <summary>The UI's pages (its <c>@page</c> routes); keep in step with <c>Dashboard/Pages</c>.</summary>
    public static readonly string[] Routes = ["/", "/login", "/signup", "/onboarding", "/dashboard", "/clusters", "/audit", "/policies", "/policies/{clusterId}", "/hibernation", "/hibernation/{clusterId}", "/admin"];

    public static WebApplication MapWebUi(this WebApplication app)
    {
        app.MapStaticAssets();
        foreach (var route in Routes) app.MapFallbackToFile(route, "index.html");
        return app;
    }
}

using System.Reflection;
using Microsoft.AspNetCore.Components;

namespace SpotOptimizer.Api.Extensions;

/// <summary>
/// The web UI (<c>Dashboard/</c>, Blazor WebAssembly) served by the platform: its files as static assets, and its page
/// routes answered with its <c>index.html</c> so a bookmarked link works. Only the UI's own routes fall back to the
/// page; any other unknown path stays a 404 ProblemDetails, as API clients expect.
/// </summary>
public static class WebUi
{
    /// <summary>The UI's pages: every <c>@page</c> route of the Dashboard assembly, so a new page is served without a list to keep.</summary>
    public static readonly IReadOnlyList<string> Routes =
        [.. typeof(Dashboard.App).Assembly.GetTypes()
            .SelectMany(type => type.GetCustomAttributes<RouteAttribute>())
            .Select(route => route.Template)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.Ordinal)];

    public static WebApplication MapWebUi(this WebApplication app)
    {
        app.MapStaticAssets();
        foreach (var route in Routes) app.MapFallbackToFile(route, "index.html");
        return app;
    }
}

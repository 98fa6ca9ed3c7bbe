using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using MudBlazor.Services;

namespace SpotOptimizer.Dashboard.Tests;

/// <summary>
/// A bUnit context wired as <c>Dashboard/Program.cs</c> wires the app: one <see cref="HttpClient"/> (here over the
/// <see cref="FakePlatform"/> instead of the network), <see cref="Session"/>, <see cref="PlatformApi"/>, <see cref="LiveFeed"/>
/// and MudBlazor's services, rendered as in the browser (WebAssembly, interactive). JS interop is loose: sessionStorage
/// reads answer null (nobody signed in) and every call is recorded in <c>JSInterop.Invocations</c>.
/// Each test creates its own with <c>await using</c> (MudBlazor's services only dispose asynchronously).
/// </summary>
public static class DashboardTest
{
    public static BunitContext NewContext(FakePlatform? platform = null)
    {
        // WaitFor* give up after this; the 1 s default is tight on a 2-core CI machine that builds at the same time.
        BunitContext.DefaultWaitTimeout = TimeSpan.FromSeconds(10);
        var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        var handler = platform ?? new FakePlatform();
        ctx.Services.AddScoped(_ => new HttpClient(handler, disposeHandler: false) { BaseAddress = new Uri("http://localhost/") });
        ctx.Services.AddScoped<Session>();
        ctx.Services.AddScoped<PlatformApi>();
        ctx.Services.AddTransient<LiveFeed>();
        ctx.Services.AddMudServices();
        // After the services: this builds the renderer, which freezes the service collection.
        ctx.SetRendererInfo(new RendererInfo("WebAssembly", true));
        return ctx;
    }

    /// <summary>Renders a page the way MainLayout hosts it: after a popover provider (selects and tooltips need one).</summary>
    public static IRenderedComponent<TPage> RenderPage<TPage>(this BunitContext ctx, Action<ComponentParameterCollectionBuilder<TPage>>? parameters = null)
        where TPage : IComponent
    {
        ctx.Render<MudPopoverProvider>();
        return ctx.Render(parameters ?? (_ => { }));
    }

    /// <summary>The path the page navigated to last (the test navigation manager's current URI).</summary>
    public static string CurrentPath(this BunitContext ctx) =>
        new Uri(ctx.Services.GetRequiredService<NavigationManager>().Uri).AbsolutePath;

    public static BunitNavigationManager Navigation(this BunitContext ctx) =>
        (BunitNavigationManager)ctx.Services.GetRequiredService<NavigationManager>();
}

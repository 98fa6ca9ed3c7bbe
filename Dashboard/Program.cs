using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Components.WebAssembly.Hosting;
using MudBlazor.Services;
using SpotOptimizer.Dashboard;
using SpotOptimizer.Dashboard.Services;

var builder = WebAssemblyHostBuilder.CreateDefault(args);
builder.RootComponents.Add<App>("#app");
builder.RootComponents.Add<HeadOutlet>("head::after");

// The platform that serves the UI is the API it calls: same origin, no CORS.
builder.Services.AddScoped(_ => new HttpClient { BaseAddress = new Uri(builder.HostEnvironment.BaseAddress) });
builder.Services.AddScoped<Session>();
builder.Services.AddScoped<PlatformApi>();
builder.Services.AddTransient<LiveFeed>();
builder.Services.AddMudServices();

await builder.Build().RunAsync();

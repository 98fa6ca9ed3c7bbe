using SpotOptimizer.Api.Cli;
using SpotOptimizer.Api.Extensions;
using SpotOptimizer.Silo;

// "admin create --email …": a one-off command against the configured database, not the server.
if (AdminCommand.Matches(args)) return await AdminCommand.RunAsync(args, Console.Out, Console.Error);

var builder = WebApplication.CreateBuilder(args);
// The web UI's files from the build output in any environment (`dotnet run` starts in Production); a published
// build has them in wwwroot and no runtime manifest, and then this does nothing.
builder.WebHost.UseStaticWebAssets();

builder.AddSpotOptimizerCluster();
builder.AddApiServices();

var app = builder.Build();

app.UseApiPipeline();
app.MapApi();

await app.RunAsync();
return 0;

public partial class Program;

using SpotOptimizer.Api.Extensions;
using SpotOptimizer.Silo;

var builder = WebApplication.CreateBuilder(args);

builder.AddSpotOptimizerCluster();
builder.AddApiServices();

var app = builder.Build();

app.UseApiPipeline();
app.MapApi();

app.Run();

public partial class Program;

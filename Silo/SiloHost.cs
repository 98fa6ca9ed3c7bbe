using Microsoft.Extensions.Hosting;

namespace SpotOptimizer.Silo;

/// <summary>A worker process with only the grain runtime: the silo without the web API.</summary>
public static class SiloHost
{
    public static Task Main(string[] args) => CreateBuilder(args).Build().RunAsync();

    public static HostApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.AddSpotOptimizerSilo();
        return builder;
    }
}

using SpotOptimizer.Silo;

namespace SpotOptimizer.Api.Demo;

public static class DemoServices
{
    /// <summary>Seeds the demo tenant when the cloud is a simulated world (the embedded default, or the simulator on AWS's wire) and <c>Demo:Enabled</c> is not false.</summary>
    public static IHostApplicationBuilder AddDemoTenant(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(DemoOptions.Section);
        builder.Services.Configure<DemoOptions>(section);
        if (CloudSelection.HasSimulatedWorld(builder.Configuration) && section.GetValue(nameof(DemoOptions.Enabled), true)) builder.Services.AddHostedService<DemoTenant>().AddSingleton<DemoAgents>();
        return builder;
    }
}

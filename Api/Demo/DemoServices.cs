using SpotOptimizer.Silo;

namespace SpotOptimizer.Api.Demo;

public static class DemoServices
{
    /// <summary>Seeds the demo tenant when the cloud is the simulator and <c>Demo:Enabled</c> is not false.</summary>
    public static IHostApplicationBuilder AddDemoTenant(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(DemoOptions.Section);
        builder.Services.Configure<DemoOptions>(section);
        var simulated = string.Equals(builder.Configuration[CloudSelection.ProviderKey] ?? "simulator", "simulator", StringComparison.OrdinalIgnoreCase);
        if (simulated && section.GetValue(nameof(DemoOptions.Enabled), true)) builder.Services.AddHostedService<DemoTenant>().AddSingleton<DemoAgents>();
        return builder;
    }
}

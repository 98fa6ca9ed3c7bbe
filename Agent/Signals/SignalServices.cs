using Microsoft.Extensions.DependencyInjection;

namespace SpotOptimizer.Agent.Signals;

public static class SignalServices
{
    /// <summary>The node watch and the interruption reports (needs the Kubernetes client and the platform's HTTP client).</summary>
    public static IServiceCollection AddInterruptionSignals(this IServiceCollection services)
    {
        services.AddSingleton<InterruptionReporter>();
        services.AddHostedService<NodeWatcher>();
        return services;
    }
}

using Microsoft.Extensions.DependencyInjection;

namespace SpotOptimizer.Agent.Signals;

public static class SignalServices
{
    /// <summary>The node and Karpenter event watches and the interruption reports (needs the Kubernetes client and the platform's HTTP client).</summary>
    public static IServiceCollection AddInterruptionSignals(this IServiceCollection services)
    {
        services.AddSingleton<InterruptionReporter>();
        services.AddSingleton<ReportedSignals>();
        services.AddHostedService<NodeWatcher>();
        services.AddHostedService<KarpenterEventWatcher>();
        return services;
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace SpotOptimizer.Api.Tests;

/// <summary>
/// In production a silo the cluster declared dead ends its process (Orleans' handler calls <c>Environment.FailFast</c>)
/// and the orchestrator restarts it. The API tests run many platform instances in one process, so on a loaded machine
/// one silo voted dead would take every other test's instance down with it. Here the fatal error is logged as critical
/// and only that instance's host stops: the test that owns it fails on its next call, the rest of the run goes on.
/// (Orleans' <c>InProcessTestCluster</c>, behind <c>TestSilo</c>, does the same with its own internal handler.)
/// </summary>
public sealed partial class StopHostOnFatalError(IServiceProvider services, ILogger<StopHostOnFatalError> logger) : IFatalErrorHandler
{
    public bool IsUnexpected(Exception exception) => exception is not ThreadAbortException;

    public void OnFatalException(object? sender = null, string? context = null, Exception? exception = null)
    {
        LogFatal(logger, exception, sender?.ToString() ?? "unknown", context ?? "none");
        services.GetService<IHostApplicationLifetime>()?.StopApplication();
    }

    public static IServiceCollection Register(IServiceCollection services) => services.AddSingleton<IFatalErrorHandler, StopHostOnFatalError>();

    [LoggerMessage(Level = LogLevel.Critical, Message = "Fatal Orleans error from {Sender} ({Context}); this test host stops instead of the whole test process.")]
    private static partial void LogFatal(ILogger logger, Exception? exception, string sender, string context);
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Runtime;

namespace SpotOptimizer.Api.Tests;

/// <summary>A platform instance whose silo the cluster votes dead stops its own host; it does not end the test process.</summary>
public sealed class FatalErrorContainmentTests
{
    [Fact]
    public async Task SiloToldItIsDead_StopsItsOwnHost_ProcessGoesOn()
    {
        await using var app = SpotOptimizerApp.Sqlite();
        _ = app.CreateClient();
        var handler = app.Services.GetRequiredService<IFatalErrorHandler>();
        var stopping = app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        // Checked first: Orleans' own handler would end this process.
        Assert.IsType<StopHostOnFatalError>(handler);

        handler.OnFatalException(this, "I have been told I am dead (test)");

        Assert.True(stopping.WaitHandle.WaitOne(TimeSpan.FromSeconds(10)), "the instance's host was not asked to stop");
    }
}

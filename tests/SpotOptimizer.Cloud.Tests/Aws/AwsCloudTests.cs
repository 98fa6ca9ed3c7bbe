using System.Text.Json;
using SpotOptimizer.Cloud.Aws;
using SpotOptimizer.Cloud.Simulation;

namespace SpotOptimizer.Cloud.Tests.Aws;

public sealed class AwsCloudTests
{
    [Fact]
    public async Task DrainAsync_NoAgentPolling_ThrowsAgentNotConnectedWithoutCalling()
    {
        await using var bed = await AwsTestBed.StartAsync();

        var error = await Assert.ThrowsAsync<CloudException>(() => bed.Cloud.Nodes.DrainAsync(AwsTestBed.Session(), AwsTestBed.Region, "prod-web", "i-0a1b2c3d4e5f60718",
            new DrainRequest(["kube-system"], DryRun: true)));

        Assert.Equal((CloudErrorCodes.AgentNotConnected, CloudActions.DrainNode), (error.Code, error.Operation));
        Assert.Empty(bed.Endpoint.Requests);
    }

    [Fact]
    public void AddAwsCloud_WithOptions_ResolvesOneAwsProvider()
    {
        using var services = new ServiceCollection().AddAwsCloud(o => o.StsRegion = "eu-west-1").BuildServiceProvider();

        Assert.IsType<AwsCloud>(services.GetRequiredService<ICloudProvider>());
        Assert.Same(services.GetRequiredService<AwsCloud>(), services.GetRequiredService<ICloudProvider>());
    }

    [Fact]
    public void AddSimulatedCloud_WithSeed_ResolvesTheDemoWorldAsProvider()
    {
        var clock = new TestClock();
        using var services = new ServiceCollection().AddSingleton<TimeProvider>(clock).AddSimulatedCloud(seed: 5).BuildServiceProvider();

        var cloud = Assert.IsType<SimulatedCloud>(services.GetRequiredService<ICloudProvider>());
        Assert.Same(services.GetRequiredService<SimulatedCloud>(), cloud);
        Assert.Equal(5, cloud.World.Seed);
        Assert.Equal(JsonSerializer.Serialize(SimulatedWorld.Demo(5, clock.GetUtcNow())), JsonSerializer.Serialize(cloud.World));
    }
}

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using SpotOptimizer.Grains.Interfaces.Platform;
using Orleans;
using SpotOptimizer.Silo;
using SpotOptimizer.Silo.Storage;

namespace SpotOptimizer.Api.Tests;

/// <summary>The standalone silo process: the same composition root, no web server.</summary>
public sealed class SiloHostTests
{
    [Fact]
    public async Task CreateBuilder_StartedTwiceOnOneDataDirectory_CountsBothStartsDurably()
    {
        using var temp = new TempDirectory();
        // Ports of its own: silos bind theirs shared (SO_REUSEADDR), so the defaults would mix it with other tests' silos.
        string[] args = [$"--{SiloStorage.DataDirectoryKey}={temp.Child("data")}", "--Logging:LogLevel:Default=Warning",
            $"--Orleans:Endpoints:SiloPort={SpotOptimizerApp.FreePort()}", $"--Orleans:Endpoints:GatewayPort={SpotOptimizerApp.FreePort()}"];

        var first = await StartAndStopAsync(args);
        var second = await StartAndStopAsync(args);

        Assert.Equal(1, first.SiloStarts);
        Assert.Equal(2, second.SiloStarts);
        Assert.NotNull(first.FirstStartedAt);
        Assert.Equal(first.FirstStartedAt, second.FirstStartedAt);
        Assert.True(File.Exists(Path.Combine(temp.Child("data"), SiloStorage.SqliteFileName)));
    }

    [Fact]
    public void CreateBuilder_MembershipSettings_OverrideTheFastProbeOnlyWhereGiven()
    {
        using var temp = new TempDirectory();
        using var defaults = SiloHost.CreateBuilder([$"--{SiloStorage.DataDirectoryKey}={temp.Child("a")}"]).Build();
        using var patient = SiloHost.CreateBuilder([$"--{SiloStorage.DataDirectoryKey}={temp.Child("b")}", "--Orleans:Membership:ProbeTimeout=00:00:04"]).Build();

        var fast = defaults.Services.GetRequiredService<IOptions<ClusterMembershipOptions>>().Value;
        var slow = patient.Services.GetRequiredService<IOptions<ClusterMembershipOptions>>().Value;

        Assert.Equal((TimeSpan.FromSeconds(1), 2), (fast.ProbeTimeout, fast.NumMissedProbesLimit));
        Assert.Equal((TimeSpan.FromSeconds(4), 2, TimeSpan.FromSeconds(5)), (slow.ProbeTimeout, slow.NumMissedProbesLimit, slow.MaxJoinAttemptTime));
    }

    [Fact]
    public async Task Start_SiloPortAlreadyListenedOn_FailsNamingTheSetting_InsteadOfSharingIt()
    {
        using var temp = new TempDirectory();
        using var other = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        other.Start();
        var taken = ((System.Net.IPEndPoint)other.LocalEndpoint).Port;
        using var host = SiloHost.CreateBuilder([$"--{SiloStorage.DataDirectoryKey}={temp.Child("data")}", "--Logging:LogLevel:Default=None",
            $"--Orleans:Endpoints:SiloPort={taken}", $"--Orleans:Endpoints:GatewayPort={SpotOptimizerApp.FreePort()}"]).Build();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());

        Assert.Contains($"Orleans:Endpoints:SiloPort {taken} is already in use", error.ToString(), StringComparison.Ordinal);
    }

    private static async Task<PlatformInfo> StartAndStopAsync(string[] args)
    {
        using var host = SiloHost.CreateBuilder(args).Build();
        await host.StartAsync();
        var info = await host.Services.GetRequiredService<IGrainFactory>().GetGrain<IPlatformGrain>(IPlatformGrain.Key).GetInfo();
        await host.StopAsync();
        return info;
    }
}

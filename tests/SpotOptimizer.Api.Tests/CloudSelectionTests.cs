using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using SpotOptimizer.Cloud;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.Silo;

namespace SpotOptimizer.Api.Tests;

/// <summary>The host's choice of cloud from configuration: here, the simulator's price-history replay.</summary>
public sealed class CloudSelectionTests
{
    private static HostApplicationBuilder Builder(string contentRoot, Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = contentRoot });
        builder.Configuration.AddInMemoryCollection(settings);
        return builder;
    }

    [Fact]
    public async Task AddCloud_RelativePriceHistoryFile_ReplaysItFromTheContentRootAndStart()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Child("prices"));
        await File.WriteAllTextAsync(Path.Combine(temp.Child("prices"), "c5a.tsv"),
            "az\tinstance_type\tos\tusd_per_hour\ttimestamp\nus-east-1b\tc5a.2xlarge\tLinux/UNIX\t0.161200\t2023-11-11T18:00:00+00:00\n");
        var builder = Builder(temp.Root, new()
        {
            [CloudSelection.PriceHistoryFileKey] = Path.Combine("prices", "c5a.tsv"),
            [CloudSelection.PriceHistoryStartKey] = "2026-01-05T07:00:00Z",
        });

        builder.AddCloud();

        using var host = builder.Build();
        var cloud = host.Services.GetRequiredService<SimulatedCloud>();
        var price = Assert.Single(await cloud.CurrentSpotPricesAsync(SimulatedWorld.DemoAccountId, SimulatedWorld.DemoRegion, ["c5a.2xlarge"]));
        // One change makes a one-day lap that starts at the configured 07:00, not at the file's own 18:00.
        Assert.Equal((0.1612m, TimeSpan.FromHours(7)), (price.PricePerHour, price.Timestamp.UtcDateTime.TimeOfDay));
    }

    [Fact]
    public void AddCloud_MissingPriceHistoryFile_StopsNamingTheSetting()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Root);
        var builder = Builder(temp.Root, new() { [CloudSelection.PriceHistoryFileKey] = "no-such-prices.tsv" });

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddCloud());

        Assert.Equal($"Cloud:PriceHistoryFile is 'no-such-prices.tsv', but {Path.Combine(temp.Root, "no-such-prices.tsv")} does not exist.", error.Message);
    }
}

using System.Globalization;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Cloud.Tests.Simulation;

/// <summary>The simulator's Spot market replaying the data pack's c5a.2xlarge history (us-east-1 b–f; the demo world has a–d).</summary>
public sealed class ReplayedMarketTests
{
    private const string History = "spot-price-history/us-east-1_c5a.2xlarge_2023-11-11_2023-12-30.tsv";
    private const string Type = "c5a.2xlarge";
    private const string Region = SimulatedTenant.Region;
    private static readonly DateTimeOffset InsideTheFile = new(2023, 11, 20, 12, 0, 0, TimeSpan.Zero);
    private static readonly string[] ReplayedDemoZones = ["us-east-1b", "us-east-1c", "us-east-1d"];

    private static Task<SimulatedTenant> ReplayingAsync(DateTimeOffset now) =>
        SimulatedTenant.StartAsync(options: new SimulatedCloudOptions { PriceHistoryFile = Path.Combine(DataPack.Require(History), History) }, now: now);

    /// <summary>The file's rows, read without the simulator's reader.</summary>
    private static List<(string Zone, decimal Price, DateTimeOffset Time)> Rows()
    {
        using var reader = DataPack.OpenText(History);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(line => line.Split('\t'))
            .Select(f => (f[0], decimal.Parse(f[3], CultureInfo.InvariantCulture), DateTimeOffset.Parse(f[4], CultureInfo.InvariantCulture)))
            .ToList();
    }

    private static (string, decimal, DateTimeOffset) InForce(IEnumerable<(string Zone, decimal Price, DateTimeOffset Time)> rows, string zone, DateTimeOffset at) =>
        rows.Where(r => r.Zone == zone && r.Time <= at).MaxBy(r => r.Time);

    [SkippableFact]
    public async Task GetCurrentPrices_InsideTheFile_ServesItsLatestChangeInTheWorldsZones()
    {
        var tenant = await ReplayingAsync(InsideTheFile);
        var rows = Rows();

        var current = await tenant.Cloud.CurrentSpotPricesAsync(tenant.AccountId, Region, [Type]);

        Assert.Equal(ReplayedDemoZones.Select(z => InForce(rows, z, InsideTheFile)),
            current.OrderBy(p => p.AvailabilityZone, StringComparer.Ordinal).Select(p => (p.AvailabilityZone, p.PricePerHour, p.Timestamp)));
        Assert.All(current, p => Assert.Equal(Type, p.InstanceType));
    }

    [SkippableFact]
    public async Task GetPriceHistory_InsideTheFile_IsThePoolsRowsOfTheRange()
    {
        var tenant = await ReplayingAsync(InsideTheFile);
        var (start, end) = (InsideTheFile.AddDays(-2), InsideTheFile);
        var rows = Rows();

        var history = await tenant.Cloud.SpotPriceHistoryAsync(tenant.AccountId, Region, new SpotPriceQuery([Type], start, end, ["us-east-1b"]));

        var expected = rows.Where(r => r.Zone == "us-east-1b" && r.Time > start && r.Time < end).Prepend(InForce(rows, "us-east-1b", start)).ToList();
        Assert.True(expected.Count > 3, "the pool's price moved in the two days");
        Assert.Equal(expected, history.Reverse().Select(p => (p.AvailabilityZone, p.PricePerHour, p.Timestamp)));
    }

    [SkippableFact]
    public async Task GetCurrentPrices_YearsAfterTheFile_ReplaysItInFiftyDayLaps()
    {
        var now = new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.Zero);
        var tenant = await ReplayingAsync(now);
        var rows = Rows();
        var lap = TimeSpan.FromDays(50); // the file spans 49.1 days
        var first = rows.Min(r => r.Time);

        var current = await tenant.Cloud.CurrentSpotPricesAsync(tenant.AccountId, Region, [Type]);

        Assert.Equal(ReplayedDemoZones, current.Select(p => p.AvailabilityZone).Order(StringComparer.Ordinal));
        var inFile = (now - first).Ticks % lap.Ticks;
        Assert.All(current, p => Assert.Equal(InForce(rows, p.AvailabilityZone, first + TimeSpan.FromTicks(inFile)),
            (p.AvailabilityZone, p.PricePerHour, p.Timestamp - (now - first - TimeSpan.FromTicks(inFile)))));
    }

    [SkippableFact]
    public async Task GetCurrentPrices_TypesTheFileLacks_ServeTheBuiltInModel()
    {
        var tenant = await ReplayingAsync(InsideTheFile);
        var builtIn = await SimulatedTenant.StartAsync(now: InsideTheFile);

        var replayed = await tenant.Cloud.CurrentSpotPricesAsync(tenant.AccountId, Region, ["m5.large", "c5.xlarge"]);

        Assert.Equal(8, replayed.Count);
        Assert.Equal(await builtIn.Cloud.CurrentSpotPricesAsync(builtIn.AccountId, Region, ["m5.large", "c5.xlarge"]), replayed);
    }

    [SkippableFact]
    public async Task RunInstances_ReplayedTypeOutsideTheCatalog_LaunchesOnlyWhereOffered()
    {
        var tenant = await ReplayingAsync(InsideTheFile);
        var builtIn = await SimulatedTenant.StartAsync(now: InsideTheFile);
        LaunchRequest Launch(string zone) => new($"c5a-{zone}", Type, zone, InstanceLifecycle.Spot, 1, new Dictionary<string, string>());

        var launched = await tenant.Cloud.Instances.RunInstancesAsync(tenant.Session, Region, Launch("us-east-1b"));
        var noOffer = await Assert.ThrowsAsync<CloudException>(() => tenant.Cloud.Instances.RunInstancesAsync(tenant.Session, Region, Launch("us-east-1a")));
        var notInCatalog = await Assert.ThrowsAsync<CloudException>(() => builtIn.Cloud.Instances.RunInstancesAsync(builtIn.Session, Region, Launch("us-east-1b")));

        Assert.Equal((Type, "us-east-1b"), (Assert.Single(launched.Instances).InstanceType, launched.Instances[0].AvailabilityZone));
        Assert.Equal((CloudErrorCodes.InvalidRequest, CloudErrorCodes.InvalidRequest), (noOffer.Code, notInCatalog.Code));
        Assert.Contains("neither in the simulator's catalog nor offered", noOffer.Message, StringComparison.Ordinal);
    }
}

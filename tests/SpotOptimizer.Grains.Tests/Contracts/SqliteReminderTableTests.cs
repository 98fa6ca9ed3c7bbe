using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;
using SpotOptimizer.Silo.Storage;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Grains.Tests.Contracts;

/// <summary>The embedded default's reminder table honours Orleans's contract: ETags, ring ranges, service isolation, durability.</summary>
public sealed class SqliteReminderTableTests : IAsyncLifetime
{
    private readonly ScratchDatabases _scratch = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _scratch.DisposeAsync();

    [Fact]
    public async Task Upsert_ThenRead_ByGrainAndByName_AndAnUpdateBumpsTheETag()
    {
        var table = await TableAsync("svc");
        var grain = GrainId.Create("cluster", "c-1");

        var first = await table.UpsertRow(Entry(grain, "hibernate", TimeSpan.FromMinutes(1)));
        var second = await table.UpsertRow(Entry(grain, "hibernate", TimeSpan.FromMinutes(5)));
        await table.UpsertRow(Entry(grain, "optimize", TimeSpan.FromMinutes(10)));

        Assert.NotEqual(first, second);
        var row = await table.ReadRow(grain, "hibernate");
        Assert.Equal((grain, TimeSpan.FromMinutes(5), second), (row!.GrainId, row.Period, row.ETag));
        Assert.Equal(["hibernate", "optimize"], (await table.ReadRows(grain)).Reminders.Select(r => r.ReminderName).Order());
        Assert.Null(await table.ReadRow(grain, "missing"));
    }

    [Fact]
    public async Task Remove_WithAStaleETag_Refused_WithTheCurrentOne_Removed()
    {
        var table = await TableAsync("svc");
        var grain = GrainId.Create("account", "a-1");
        var stale = await table.UpsertRow(Entry(grain, "discovery", TimeSpan.FromMinutes(5)));
        var current = await table.UpsertRow(Entry(grain, "discovery", TimeSpan.FromMinutes(5)));

        Assert.False(await table.RemoveRow(grain, "discovery", stale!));
        Assert.True(await table.RemoveRow(grain, "discovery", current!));
        Assert.Null(await table.ReadRow(grain, "discovery"));
    }

    [Fact]
    public async Task ReadRange_SplitsTheRingWithoutLossOrOverlap_IncludingTheWrap()
    {
        var table = await TableAsync("svc");
        var grains = Enumerable.Range(0, 40).Select(i => GrainId.Create("cluster", $"c-{i}")).ToList();
        foreach (var grain in grains) await table.UpsertRow(Entry(grain, "optimize", TimeSpan.FromMinutes(1)));

        // Four ranges (a, b] around the ring; the last one wraps past uint.MaxValue to the first boundary.
        uint[] bounds = [0x1000_0000, 0x5000_0000, 0x9000_0000, 0xD000_0000];
        var seen = new List<GrainId>();
        for (var i = 0; i < bounds.Length; i++) seen.AddRange((await table.ReadRows(bounds[i], bounds[(i + 1) % bounds.Length])).Reminders.Select(r => r.GrainId));

        Assert.Equal(grains.Order(), seen.Order());
    }

    [Fact]
    public async Task Rows_SurviveANewProcess_AndStayWithinTheirService()
    {
        var grain = GrainId.Create("market", "us-east-1");
        await (await TableAsync("svc")).UpsertRow(Entry(grain, "spot-prices", TimeSpan.FromMinutes(5)));

        var reopened = await TableAsync("svc");
        var other = await TableAsync("another-service");

        Assert.Equal(TimeSpan.FromMinutes(5), (await reopened.ReadRow(grain, "spot-prices"))!.Period);
        Assert.Empty((await other.ReadRows(grain)).Reminders);
    }

    private static ReminderEntry Entry(GrainId grain, string name, TimeSpan period) =>
        new() { GrainId = grain, ReminderName = name, Period = period, StartAt = new DateTime(2026, 12, 3, 10, 0, 0, DateTimeKind.Utc) };

    private async Task<IReminderTable> TableAsync(string serviceId)
    {
        var database = _scratch.Open(services => SiloStorage.Sqlite(_scratch.Directory).AddDatabase(services));
        await OrleansSchema.ApplyAsync(database, CancellationToken.None);
        return new SqliteReminderTable(database, Options.Create(new ClusterOptions { ServiceId = serviceId, ClusterId = "c" }));
    }
}

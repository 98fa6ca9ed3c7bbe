using SpotOptimizer.Runtime.Storage;

namespace SpotOptimizer.Runtime.Tests.Storage;

public abstract partial class StorageContractTests
{
    private static readonly GrainId Pool = new("instance-pool", "us-east-1/c5.large");
    private static readonly DateTimeOffset Noon = new(2026, 11, 22, 12, 0, 0, 250, TimeSpan.Zero);

    [SkippableFact]
    public async Task ReadAsync_MissingReminder_ReturnsNull()
    {
        Assert.Null(await Reminders.ReadAsync(Pool, "refresh-prices", Ct));
    }

    [SkippableFact]
    public async Task UpsertAsync_NewReminder_ReadReturnsIt()
    {
        var reminder = new ReminderEntry(Pool, "refresh-prices", Noon, TimeSpan.FromMinutes(5));

        await Reminders.UpsertAsync(reminder, Ct);

        Assert.Equal(reminder, await Reminders.ReadAsync(Pool, "refresh-prices", Ct));
    }

    [SkippableFact]
    public async Task UpsertAsync_ExistingReminder_ReplacesIt()
    {
        await Reminders.UpsertAsync(new ReminderEntry(Pool, "refresh-prices", Noon, TimeSpan.FromMinutes(5)), Ct);
        var replacement = new ReminderEntry(Pool, "refresh-prices", Noon.AddHours(1), TimeSpan.FromSeconds(90));

        await Reminders.UpsertAsync(replacement, Ct);

        Assert.Equal(replacement, await Reminders.ReadAsync(Pool, "refresh-prices", Ct));
        Assert.Equal([replacement], await Reminders.ReadAllAsync(Ct));
    }

    [SkippableFact]
    public async Task UpsertAsync_LocalOffset_ReadsSameInstant()
    {
        var local = new DateTimeOffset(2026, 11, 22, 14, 0, 0, TimeSpan.FromHours(2));

        await Reminders.UpsertAsync(new ReminderEntry(Pool, "rebalance", local, TimeSpan.FromHours(1)), Ct);

        var stored = await Reminders.ReadAsync(Pool, "rebalance", Ct);
        Assert.Equal(local.UtcDateTime, stored?.StartAt.UtcDateTime);
    }

    [SkippableFact]
    public async Task UpsertAsync_SubMillisecondTimes_StoresWholeMilliseconds()
    {
        var start = Noon.AddTicks(7_777); // 0.7777 ms
        var period = TimeSpan.FromMilliseconds(1500).Add(TimeSpan.FromTicks(4_000));

        await Reminders.UpsertAsync(new ReminderEntry(Pool, "refresh-prices", start, period), Ct);

        var stored = await Reminders.ReadAsync(Pool, "refresh-prices", Ct);
        Assert.Equal(Noon, stored?.StartAt);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), stored?.Period);
    }

    [SkippableFact]
    public async Task ReadAllAsync_RemindersOfSeveralGrains_ReturnsAll()
    {
        var other = new GrainId("fleet", "prod-eu");
        ReminderEntry[] expected =
        [
            new(Pool, "refresh-prices", Noon, TimeSpan.FromMinutes(5)),
            new(Pool, "rebalance", Noon.AddMinutes(1), TimeSpan.FromHours(1)),
            new(other, "refresh-prices", Noon.AddMinutes(2), TimeSpan.FromMinutes(10)),
        ];
        foreach (var reminder in expected)
        {
            await Reminders.UpsertAsync(reminder, Ct);
        }

        var all = await Reminders.ReadAllAsync(Ct);

        Assert.Equal(expected.OrderBy(Order), all.OrderBy(Order));
    }

    [SkippableFact]
    public async Task DeleteAsync_ExistingReminder_ReturnsTrueAndRemovesOnlyIt()
    {
        var kept = new ReminderEntry(Pool, "rebalance", Noon, TimeSpan.FromHours(1));
        await Reminders.UpsertAsync(kept, Ct);
        await Reminders.UpsertAsync(new ReminderEntry(Pool, "refresh-prices", Noon, TimeSpan.FromMinutes(5)), Ct);

        var deleted = await Reminders.DeleteAsync(Pool, "refresh-prices", Ct);

        Assert.True(deleted);
        Assert.Null(await Reminders.ReadAsync(Pool, "refresh-prices", Ct));
        Assert.Equal([kept], await Reminders.ReadAllAsync(Ct));
    }

    [SkippableFact]
    public async Task DeleteAsync_MissingReminder_ReturnsFalse()
    {
        await Reminders.UpsertAsync(new ReminderEntry(Pool, "rebalance", Noon, TimeSpan.FromHours(1)), Ct);

        var deleted = await Reminders.DeleteAsync(Pool, "refresh-prices", Ct);

        Assert.False(deleted);
        Assert.Single(await Reminders.ReadAllAsync(Ct));
    }

    private static string Order(ReminderEntry reminder) => $"{reminder.Grain}#{reminder.Name}";
}

using Dapper;

namespace SpotOptimizer.Runtime.Storage;

/// <summary>Reminder registrations in the same relational database as grain state.</summary>
internal sealed class AdoReminderTable(SqlDialect dialect) : IReminderTable
{
    public async Task<IReadOnlyList<ReminderEntry>> ReadAllAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<StoredReminder>(
            new CommandDefinition(dialect.ReadAllReminders, cancellationToken: cancellationToken));
        return [.. rows.Select(row => row.ToEntry())];
    }

    public async Task<ReminderEntry?> ReadAsync(GrainId grain, string name, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<StoredReminder>(
            new CommandDefinition(dialect.ReadReminder, KeyParameters(grain, name), cancellationToken: cancellationToken));
        return row?.ToEntry();
    }

    public async Task UpsertAsync(ReminderEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var connection = await dialect.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(dialect.UpsertReminder, new
        {
            GrainType = entry.Grain.Type,
            GrainKey = entry.Grain.Key,
            ReminderName = entry.Name,
            StartAtMs = ReminderPrecision.ToMilliseconds(entry.StartAt),
            PeriodMs = ReminderPrecision.ToMilliseconds(entry.Period),
        }, cancellationToken: cancellationToken));
    }

    public async Task<bool> DeleteAsync(GrainId grain, string name, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenConnectionAsync(cancellationToken);
        var deleted = await connection.ExecuteAsync(
            new CommandDefinition(dialect.DeleteReminder, KeyParameters(grain, name), cancellationToken: cancellationToken));
        return deleted > 0;
    }

    private static object KeyParameters(GrainId grain, string name) =>
        new { GrainType = grain.Type, GrainKey = grain.Key, ReminderName = name };

    private sealed record StoredReminder(string GrainType, string GrainKey, string ReminderName, long StartAtMs, long PeriodMs)
    {
        public ReminderEntry ToEntry() => ReminderPrecision.Restore(GrainType, GrainKey, ReminderName, StartAtMs, PeriodMs);
    }
}

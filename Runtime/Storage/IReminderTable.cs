namespace SpotOptimizer.Runtime.Storage;

/// <summary>A durable reminder: fires at <see cref="StartAt"/> and every <see cref="Period"/> after it.</summary>
public sealed record ReminderEntry(GrainId Grain, string Name, DateTimeOffset StartAt, TimeSpan Period);

/// <summary>Durable reminder registrations, in the same database as grain state.</summary>
public interface IReminderTable
{
    Task<IReadOnlyList<ReminderEntry>> ReadAllAsync(CancellationToken cancellationToken);

    Task<ReminderEntry?> ReadAsync(GrainId grain, string name, CancellationToken cancellationToken);

    /// <summary>Inserts or replaces the reminder with the same grain and name.</summary>
    Task UpsertAsync(ReminderEntry entry, CancellationToken cancellationToken);

    /// <returns>True when a reminder was removed.</returns>
    Task<bool> DeleteAsync(GrainId grain, string name, CancellationToken cancellationToken);
}

/// <summary>Brings the database schema up to the version this build expects (idempotent, run at start-up).</summary>
public interface IStorageSchema
{
    Task ApplyAsync(CancellationToken cancellationToken);
}

namespace SpotOptimizer.Runtime.Storage;

/// <summary>Reminders in process memory for unit tests; times are cut to milliseconds as a database would.</summary>
internal sealed class InMemoryReminderTable : IReminderTable
{
    private readonly Lock gate = new();
    private readonly Dictionary<(GrainId Grain, string Name), ReminderEntry> entries = [];

    public Task<IReadOnlyList<ReminderEntry>> ReadAllAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            return Task.FromResult<IReadOnlyList<ReminderEntry>>([.. entries.Values]);
        }
    }

    public Task<ReminderEntry?> ReadAsync(GrainId grain, string name, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            return Task.FromResult(entries.GetValueOrDefault((grain, name)));
        }
    }

    public Task UpsertAsync(ReminderEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            entries[(entry.Grain, entry.Name)] = ReminderPrecision.Truncate(entry);
        }

        return Task.CompletedTask;
    }

    public Task<bool> DeleteAsync(GrainId grain, string name, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            return Task.FromResult(entries.Remove((grain, name)));
        }
    }
}

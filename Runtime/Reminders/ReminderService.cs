using SpotOptimizer.Runtime.Storage;

namespace SpotOptimizer.Runtime.Reminders;

/// <summary>
/// Durable reminders for this silo. Registrations live in the reminder table; the schedule lives in memory and
/// is rebuilt from the table at start-up. Ticks missed while the process was down are not replayed one by one:
/// each overdue reminder fires once, promptly, and then continues on its own period grid.
/// </summary>
internal sealed class ReminderService(GrainRuntime runtime, IReminderTable table) : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<GrainId, Dictionary<string, Schedule>> _byGrain = [];
    private readonly PriorityQueue<Schedule, DateTimeOffset> _due = new();
    private ITimer? _timer;
    private int _count;
    private bool _stopped;

    public int Count => Volatile.Read(ref _count);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var entries = await table.ReadAllAsync(cancellationToken);
        var now = runtime.Time.GetUtcNow();
        lock (_lock)
        {
            foreach (var entry in entries) Add(entry, entry.StartAt > now ? entry.StartAt : now);
            _timer = runtime.Time.CreateTimer(static s => ((ReminderService)s!).FireDue(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            Arm(now);
        }

        Log.RemindersLoaded(runtime.Logger, entries.Count);
    }

    public async Task RegisterOrUpdateAsync(GrainId grain, Type grainClass, string name, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(dueTime, TimeSpan.Zero);
        if (!typeof(IRemindable).IsAssignableFrom(grainClass))
        {
            throw new InvalidOperationException($"{grainClass.Name} must implement IRemindable to register reminder '{name}'.");
        }

        if (period < runtime.Options.MinimumReminderPeriod)
        {
            throw new ArgumentOutOfRangeException(nameof(period), period, $"Reminder periods must be at least {runtime.Options.MinimumReminderPeriod}.");
        }

        var now = runtime.Time.GetUtcNow();
        var entry = new ReminderEntry(grain, name, now + dueTime, period);
        await table.UpsertAsync(entry, CancellationToken.None);
        lock (_lock)
        {
            Remove(grain, name);
            Add(entry, entry.StartAt);
            Arm(now);
        }
    }

    public async Task UnregisterAsync(GrainId grain, string name)
    {
        await table.DeleteAsync(grain, name, CancellationToken.None);
        lock (_lock) Remove(grain, name);
    }

    public IReadOnlyList<string> NamesFor(GrainId grain)
    {
        lock (_lock) return _byGrain.TryGetValue(grain, out var named) ? [.. named.Keys] : [];
    }

    public IReadOnlyDictionary<string, int> CountByName()
    {
        lock (_lock)
        {
            return _byGrain.Values.SelectMany(named => named.Keys).GroupBy(name => name, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        }
    }

    public void Stop()
    {
        lock (_lock)
        {
            _stopped = true;
            _timer?.Dispose();
        }
    }

    public void Dispose() => Stop();

    /// <summary>The first tick on the period grid strictly after <paramref name="now"/>.</summary>
    internal static DateTimeOffset NextTickAfter(ReminderEntry entry, DateTimeOffset now)
    {
        if (now < entry.StartAt) return entry.StartAt;
        var elapsedPeriods = (now - entry.StartAt).Ticks / entry.Period.Ticks;
        return entry.StartAt + TimeSpan.FromTicks((elapsedPeriods + 1) * entry.Period.Ticks);
    }

    private void FireDue()
    {
        var firing = new List<(ReminderEntry Entry, DateTimeOffset Tick)>();
        lock (_lock)
        {
            if (_stopped) return;
            var now = runtime.Time.GetUtcNow();
            while (_due.TryPeek(out var schedule, out var at) && at <= now)
            {
                _due.Dequeue();
                if (schedule.Removed) continue;
                firing.Add((schedule.Entry, at));
                schedule.NextTick = NextTickAfter(schedule.Entry, now);
                _due.Enqueue(schedule, schedule.NextTick);
            }

            Arm(now);
        }

        foreach (var (entry, tick) in firing) Deliver(entry, tick);
    }

    private void Deliver(ReminderEntry entry, DateTimeOffset tick)
    {
        Task delivery;
        try
        {
            delivery = runtime.SendReminder(entry.Grain, entry.Name, new TickStatus(entry.StartAt, entry.Period, tick));
        }
        catch (Exception exception)
        {
            delivery = Task.FromException(exception);
        }

        delivery.ContinueWith(
            static (t, s) =>
            {
                var (logger, entry) = ((Microsoft.Extensions.Logging.ILogger, ReminderEntry))s!;
                Log.ReminderFailed(logger, t.Exception!.GetBaseException(), entry.Grain.ToString(), entry.Name);
            },
            (runtime.Logger, entry),
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private void Add(ReminderEntry entry, DateTimeOffset firstTick)
    {
        var schedule = new Schedule(entry) { NextTick = firstTick };
        if (!_byGrain.TryGetValue(entry.Grain, out var named)) _byGrain[entry.Grain] = named = new(StringComparer.Ordinal);
        named[entry.Name] = schedule;
        _due.Enqueue(schedule, firstTick);
        _count++;
    }

    private void Remove(GrainId grain, string name)
    {
        if (!_byGrain.TryGetValue(grain, out var named) || !named.Remove(name, out var schedule)) return;
        schedule.Removed = true;
        if (named.Count == 0) _byGrain.Remove(grain);
        _count--;
    }

    private void Arm(DateTimeOffset now)
    {
        if (_stopped || _timer is null) return;
        while (_due.TryPeek(out var head, out _) && head.Removed) _due.Dequeue();
        var wait = _due.TryPeek(out _, out var at) ? (at <= now ? TimeSpan.Zero : at - now) : Timeout.InfiniteTimeSpan;
        _timer.Change(wait, Timeout.InfiniteTimeSpan);
    }

    private sealed class Schedule(ReminderEntry entry)
    {
        public ReminderEntry Entry { get; } = entry;

        public DateTimeOffset NextTick { get; set; }

        public bool Removed { get; set; }
    }
}

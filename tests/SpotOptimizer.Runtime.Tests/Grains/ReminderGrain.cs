using SpotOptimizer.Runtime;

namespace SpotOptimizer.Runtime.Tests.Grains;

public sealed class TickState
{
    public List<DateTimeOffset> Ticks { get; set; } = [];
}

public interface IReminderGrain : IGrainWithStringKey
{
    Task Start(string name, TimeSpan dueTime, TimeSpan period);

    Task Stop(string name);

    Task<IReadOnlyList<DateTimeOffset>> GetTicks();

    Task<IReadOnlyList<string>> GetReminderNamesAsync();
}

/// <summary>Persists every tick so that a test can count them across a process restart.</summary>
public sealed class ReminderGrain([PersistentState("ticks")] IPersistentState<TickState> ticks) : Grain, IReminderGrain, IRemindable
{
    public Task Start(string name, TimeSpan dueTime, TimeSpan period) => RegisterOrUpdateReminder(name, dueTime, period);

    public Task Stop(string name) => UnregisterReminder(name);

    public Task<IReadOnlyList<DateTimeOffset>> GetTicks() => Task.FromResult<IReadOnlyList<DateTimeOffset>>([.. ticks.State.Ticks]);

    public Task<IReadOnlyList<string>> GetReminderNamesAsync() => Task.FromResult(GetReminderNames());

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        ticks.State.Ticks.Add(status.CurrentTickTime);
        await ticks.WriteStateAsync();
    }
}

public interface INotRemindableGrain : IGrainWithStringKey
{
    Task Start();
}

public sealed class NotRemindableGrain : Grain, INotRemindableGrain
{
    public Task Start() => RegisterOrUpdateReminder("r", TimeSpan.Zero, TimeSpan.FromMinutes(1));
}

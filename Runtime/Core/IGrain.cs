namespace SpotOptimizer.Runtime;

/// <summary>Marker for grain interfaces. Every method must return <see cref="Task"/> or <see cref="Task{TResult}"/>.</summary>
#pragma warning disable CA1040 // marker interfaces are the contract vocabulary, as in Orleans
public interface IGrain;

/// <summary>A grain addressed by a string key.</summary>
public interface IGrainWithStringKey : IGrain;
#pragma warning restore CA1040

/// <summary>Returns cheap references to grains; the first call through a reference activates the grain.</summary>
public interface IGrainFactory
{
    TGrainInterface GetGrain<TGrainInterface>(string key) where TGrainInterface : IGrainWithStringKey;
}

/// <summary>Grains that receive durable reminders implement this.</summary>
public interface IRemindable : IGrain
{
    Task ReceiveReminder(string reminderName, TickStatus status);
}

/// <summary>What a reminder tick knows about its schedule.</summary>
public sealed record TickStatus(DateTimeOffset FirstTickTime, TimeSpan Period, DateTimeOffset CurrentTickTime);

/// <summary>Why an activation is being deactivated.</summary>
public enum DeactivationReason
{
    IdleCollection,
    ApplicationRequested,
    ShuttingDown,
    ActivationFailed,
}

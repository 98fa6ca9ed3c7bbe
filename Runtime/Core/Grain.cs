using SpotOptimizer.Runtime.Activation;

namespace SpotOptimizer.Runtime;

/// <summary>
/// Base class of every grain. The runtime constructs it through DI, then binds it to its activation before
/// <see cref="OnActivateAsync"/>: identity, timers and reminders are available from there on, not in the constructor.
/// </summary>
public abstract class Grain
{
    private ActivationData? _activation;

    internal ActivationData Activation =>
        _activation ?? throw new InvalidOperationException("The grain is not bound to an activation yet; use OnActivateAsync, not the constructor.");

    public GrainId GrainId => Activation.GrainId;

    public IGrainFactory GrainFactory => Activation.Runtime;

    public string GetPrimaryKeyString() => GrainId.Key;

    public virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public virtual Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Deactivates this activation once the messages already queued for it have run.</summary>
    protected void DeactivateOnIdle() => Activation.RequestDeactivation(DeactivationReason.ApplicationRequested);

    /// <summary>
    /// A timer bound to this activation: each tick is a turn in the grain's mailbox, ticks never overlap
    /// (the next period starts when the callback finishes), and it dies with the activation.
    /// Ticks do not keep an otherwise idle grain alive.
    /// </summary>
    protected IDisposable RegisterGrainTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period) =>
        Activation.RegisterTimer(callback, dueTime, period);

    /// <summary>Registers (or reschedules) a durable reminder; the grain must implement <see cref="IRemindable"/>.</summary>
    protected Task RegisterOrUpdateReminder(string reminderName, TimeSpan dueTime, TimeSpan period) =>
        Activation.Runtime.Reminders.RegisterOrUpdateAsync(GrainId, GetType(), reminderName, dueTime, period);

    protected Task UnregisterReminder(string reminderName) =>
        Activation.Runtime.Reminders.UnregisterAsync(GrainId, reminderName);

    /// <summary>The names of this grain's registered reminders.</summary>
    protected IReadOnlyList<string> GetReminderNames() => Activation.Runtime.Reminders.NamesFor(GrainId);

    internal void Bind(ActivationData activation) => _activation = activation;
}

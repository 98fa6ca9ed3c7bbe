namespace SpotOptimizer.Runtime.Activation;

/// <summary>One unit of work in an activation's mailbox: a grain call, a reminder or timer tick, or a lifecycle step.</summary>
internal abstract class Message(GrainId target)
{
    public GrainId Target { get; } = target;

    /// <summary>May run alongside other read-only messages (never alongside a writer).</summary>
    public virtual bool IsReadOnly => false;

    /// <summary>Runs as soon as it arrives at an active grain, whatever else is running.</summary>
    public virtual bool IsAlwaysInterleave => false;

    /// <summary>Whether running it postpones idle collection.</summary>
    public virtual bool CountsAsActivity => true;

    /// <summary>Runs against the activation. Never throws: failures complete the sender's promise or are logged.</summary>
    public abstract Task RunAsync(ActivationData activation);

    /// <summary>The activation could not be created, so the message can never run there.</summary>
    public abstract void Fail(Exception exception);

    /// <summary>
    /// The activation was deactivated before the message ran: deliver it to the next activation. When there can be
    /// none (the runtime is shutting down), the message fails like any other refused delivery; it runs on a pool
    /// thread, where an escaping exception would end the process.
    /// </summary>
    public virtual void Reroute(GrainRuntime runtime)
    {
        try
        {
            runtime.Deliver(this);
        }
        catch (InvalidOperationException exception)
        {
            Fail(exception);
        }
    }
}

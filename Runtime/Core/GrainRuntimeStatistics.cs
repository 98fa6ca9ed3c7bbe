namespace SpotOptimizer.Runtime;

/// <summary>A point-in-time view of the runtime, for health endpoints.</summary>
public sealed record GrainRuntimeStatistics(int Activations, long MailboxDepth, int Reminders, long FailedCalls);

public interface IGrainRuntimeStatistics
{
    GrainRuntimeStatistics GetStatistics();

    /// <summary>Registered reminders per reminder name (one name per loop: discovery, hibernate, …).</summary>
    IReadOnlyDictionary<string, int> GetReminderCounts();
}

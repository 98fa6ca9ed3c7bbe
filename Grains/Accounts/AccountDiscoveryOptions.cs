namespace SpotOptimizer.Grains.Accounts;

/// <summary>Where and how often accounts are scanned.</summary>
public sealed class AccountDiscoveryOptions
{
    public List<string> Regions { get; set; } = ["us-east-1"];

    public TimeSpan Period { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Shown in the customer's CloudTrail for every call we make.</summary>
    public string SessionName { get; set; } = "spotoptimizer";

    /// <summary>
    /// Pause between two polls of an account's EventBridge queue (each waits up to <see cref="InstanceEventsWait"/> for
    /// messages); <see cref="Timeout.InfiniteTimeSpan"/> turns the poll timer off.
    /// </summary>
    public TimeSpan InstanceEventsPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>SQS long polling: how long a receive waits for a message (at most 20 seconds).</summary>
    public TimeSpan InstanceEventsWait { get; set; } = TimeSpan.FromSeconds(20);
}

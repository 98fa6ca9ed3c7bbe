namespace SpotOptimizer.Notifications;

/// <summary>Section <c>Notifications</c>: how deliveries are made and retried.</summary>
public sealed class NotificationOptions
{
    public const string Section = "Notifications";

    /// <summary>Attempts per delivery, the first included; then it is marked failed.</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>The wait before the second attempt; each later wait doubles, up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long one HTTP delivery may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the dispatcher looks for due rows (a new row wakes it at once in the process that queued it).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Allows http and loopback/private URLs (tests, a developer's machine); never in production.</summary>
    public bool AllowInsecureUrls { get; set; }
}

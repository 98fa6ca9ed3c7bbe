namespace SpotOptimizer.Api.Demo;

/// <summary>Section <c>Demo</c>: the demo tenant of the embedded default (simulated cloud only).</summary>
public sealed class DemoOptions
{
    public const string Section = "Demo";

    public bool Enabled { get; set; } = true;

    public string Email { get; set; } = "demo@spotoptimizer.local";

    /// <summary>When empty, a random password is generated on first start and written to the log once.</summary>
    public string? Password { get; set; }

    /// <summary>How often the demo clusters' agents report their inventory (each report is also a heartbeat): the agent's report interval.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);
}

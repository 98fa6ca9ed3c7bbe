namespace SpotOptimizer.Grains.Execution;

/// <summary>The platform's side of the agent's command channel (configuration section <c>Agent</c>).</summary>
public sealed class AgentChannelOptions
{
    public const string Section = "Agent";

    /// <summary>How long a drain through the agent may take before the step fails (the command expires then too).</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often the executor reads a command's status while it waits for the agent's result.</summary>
    public TimeSpan ResultPoll { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>An agent that asked for commands within this window is commanded; otherwise the cloud drains.</summary>
    public TimeSpan PollingWindow { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long any other command stays pending without a result.</summary>
    public TimeSpan CommandLifetime { get; set; } = TimeSpan.FromHours(1);
}

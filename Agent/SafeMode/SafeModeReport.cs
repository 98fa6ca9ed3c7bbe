namespace SpotOptimizer.Agent.SafeMode;

/// <summary><c>POST /api/agent/safe-mode</c>: the agent entered safe mode (sent once the platform answers again) or left it.</summary>
public sealed record SafeModeReport(string State, DateTimeOffset EnteredAt, string Reason, int UnreachableSeconds, IReadOnlyList<string> Actions)
{
    public const string Entered = "entered";
    public const string Left = "left";
    public const string PlatformUnreachable = "platform_unreachable";
}

namespace SpotOptimizer.Agent.Reporting;

/// <summary>
/// The agent's settings, from standard .NET configuration: <c>--api-url</c>, <c>--token</c>, <c>--kubeconfig</c> on the
/// command line (mapped to these keys), <c>Agent__ReportInterval</c> in the environment, or appsettings.json.
/// </summary>
public sealed class AgentOptions
{
    public const string Section = "Agent";

    /// <summary>The platform's base URL, e.g. https://app.spotoptimizer.io.</summary>
    public Uri? ApiUrl { get; set; }

    /// <summary>The cluster's agent token (<c>soa_…</c>): it names the cluster.</summary>
    public string? Token { get; set; }

    /// <summary>A kubeconfig file; without one the agent uses its service account (in-cluster config).</summary>
    public string? Kubeconfig { get; set; }

    public TimeSpan ReportInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait between attempts while the platform or the Kubernetes API keeps failing.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a command poll waits at the platform for a command (the long poll; at most 30 s).</summary>
    public TimeSpan CommandWait { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>How long a drain may take: evictions refused by a PodDisruptionBudget are retried until then (<c>pdb_blocked</c>).</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Between retries of an eviction a budget refused (429), and between checks that evicted pods left the node.</summary>
    public TimeSpan EvictionRetry { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long every platform call must fail (connection errors, timeouts, 5xx; never a 401) before safe mode.</summary>
    public TimeSpan SafeModeAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Whether safe mode puts every Karpenter NodePool on On-Demand only (restored when it leaves).</summary>
    public bool SafeModeOnDemand { get; set; } = true;

    /// <summary>How far back the usage percentiles reach (metrics-server samples taken on every report tick).</summary>
    public TimeSpan UsageWindow { get; set; } = TimeSpan.FromDays(14);

    /// <summary>
    /// How often the reported percentiles are recomputed: in between, an unchanged cluster's reports are identical, so
    /// the platform does not store a new inventory every tick.
    /// </summary>
    public TimeSpan UsageRefresh { get; set; } = TimeSpan.FromMinutes(15);

    public static readonly Dictionary<string, string> CommandLineKeys = new(StringComparer.Ordinal)
    {
        ["--api-url"] = $"{Section}:{nameof(ApiUrl)}",
        ["--token"] = $"{Section}:{nameof(Token)}",
        ["--kubeconfig"] = $"{Section}:{nameof(Kubeconfig)}",
        ["--report-interval"] = $"{Section}:{nameof(ReportInterval)}",
        ["--drain-timeout"] = $"{Section}:{nameof(DrainTimeout)}",
        ["--safe-mode-after"] = $"{Section}:{nameof(SafeModeAfter)}",
        ["--safe-mode-on-demand"] = $"{Section}:{nameof(SafeModeOnDemand)}",
        ["--usage-window"] = $"{Section}:{nameof(UsageWindow)}",
    };
}

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

    public static readonly Dictionary<string, string> CommandLineKeys = new(StringComparer.Ordinal)
    {
        ["--api-url"] = $"{Section}:{nameof(ApiUrl)}",
        ["--token"] = $"{Section}:{nameof(Token)}",
        ["--kubeconfig"] = $"{Section}:{nameof(Kubeconfig)}",
        ["--report-interval"] = $"{Section}:{nameof(ReportInterval)}",
    };
}

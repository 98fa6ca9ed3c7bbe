namespace SpotOptimizer.Api.Install;

/// <summary>
/// <c>AgentInstall:*</c>: where the agent's Helm chart and image are published, the URL agents reach the platform at,
/// and how long a manifest link stays valid. The defaults are the chart's own (deploy/helm/spotoptimizer-agent's
/// Chart.yaml and values.yaml; AgentChartTests keeps them equal).
/// </summary>
public sealed class AgentInstallOptions
{
    public const string Section = "AgentInstall";

    /// <summary>The namespace both install commands use (the chart takes the release's).</summary>
    public const string Namespace = "spotoptimizer";

    /// <summary>The Helm release name, and the name of every object of the served manifest.</summary>
    public const string ReleaseName = "spotoptimizer-agent";

    /// <summary>Where <c>helm package deploy/helm/spotoptimizer-agent</c> is pushed (<c>helm push … oci://…/charts</c>).</summary>
    public string ChartReference { get; set; } = "oci://registry.spotoptimizer.io/charts/spotoptimizer-agent";

    public string ChartVersion { get; set; } = "0.1.0";

    public string ImageRepository { get; set; } = "registry.spotoptimizer.io/spotoptimizer-agent";

    public string ImageTag { get; set; } = "0.1.0";

    /// <summary>
    /// The platform's URL as agents reach it (behind a TLS-terminating load balancer the request's own scheme is http).
    /// Unset: the scheme and host the connect request came to.
    /// </summary>
    public Uri? PlatformUrl { get; set; }

    /// <summary>A manifest link carries the agent token: it should outlive the install, not the day.</summary>
    public TimeSpan ManifestLinkLifetime { get; set; } = TimeSpan.FromHours(1);

    public TimeSpan ReportInterval { get; set; } = TimeSpan.FromSeconds(30);

    public string Image => $"{ImageRepository}:{ImageTag}";

    public string PlatformUrlFor(HttpRequest request) =>
        (PlatformUrl?.ToString() ?? $"{request.Scheme}://{request.Host}{request.PathBase}").TrimEnd('/');
}

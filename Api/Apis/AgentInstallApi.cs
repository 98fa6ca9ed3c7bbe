using Microsoft.Extensions.Options;
using Orleans;
using SpotOptimizer.Api.Http;
using SpotOptimizer.Api.Install;
using SpotOptimizer.Grains.Interfaces.Clusters;

namespace SpotOptimizer.Api.Apis;

/// <summary>
/// Installing the agent in one command: the <c>helm_command</c> and <c>kubectl_command</c> that
/// <c>POST /api/clusters/connect</c> returns, and the manifest the kubectl command applies. The manifest route takes
/// no session (kubectl sends none): its sealed link names the organization, the cluster and the token (ManifestLinks).
/// </summary>
public static class AgentInstallApi
{
    public const string ManifestRoute = "/api/install/agent-manifest";

    public static IEndpointRouteBuilder MapAgentInstallApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(ManifestRoute + "/{ticket}", Manifest).WithTags("clusters").AllowAnonymous().Produces<string>(StatusCodes.Status200OK, "application/yaml");
        return app;
    }

    /// <summary>The agent's objects as YAML for <c>kubectl apply -f</c>, while the link is valid and the cluster still managed by its organization.</summary>
    public static async Task<IResult> Manifest(
        string ticket, HttpRequest request, IGrainFactory grains, ManifestLinks links, IOptions<AgentInstallOptions> options, TimeProvider time)
    {
        if (links.Open(ticket) is not { } opened)
        {
            return Problems.Of(StatusCodes.Status404NotFound, "manifest_link_invalid", "Not found.",
                "This is not a manifest link of this platform; copy the kubectl command again from POST /api/clusters/connect.");
        }

        if (opened.ExpiresAt <= time.GetUtcNow())
        {
            return Problems.Of(StatusCodes.Status403Forbidden, "manifest_link_expired", "The manifest link has expired.",
                "Connect the cluster again (POST /api/clusters/connect) for a new agent token and a new link.");
        }

        if (await grains.GetGrain<IClusterGrain>(opened.ClusterId).Get(opened.OrganizationId) is not { Managed: true })
        {
            return Problems.NotFound("managed cluster");
        }

        var install = options.Value;
        var yaml = AgentManifest.Yaml(new AgentInstallation(opened.ClusterId, install.PlatformUrlFor(request), opened.Token, install.Image, install.ReportInterval));
        // The body holds the token: no cache may keep it.
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return Results.Text(yaml, "application/yaml");
    }

    /// <summary>Both install commands for a freshly issued token, and the manifest link's expiry.</summary>
    public static (string Helm, string Kubectl, string ManifestUrl, DateTimeOffset ExpiresAt) Commands(
        HttpRequest request, string organizationId, AgentTokenIssued issued, ManifestLinks links, AgentInstallOptions install, TimeProvider time)
    {
        var platform = install.PlatformUrlFor(request);
        var expiresAt = time.GetUtcNow() + install.ManifestLinkLifetime;
        var url = $"{platform}{ManifestRoute}/{links.Seal(new ManifestTicket(organizationId, issued.ClusterId, issued.Token, expiresAt))}";
        return (Helm(install, platform, issued), $"kubectl apply -f '{url}'", url, expiresAt);
    }

    /// <summary>The chart's value names (deploy/helm/spotoptimizer-agent/values.yaml); the image only when this platform publishes another.</summary>
    private static string Helm(AgentInstallOptions install, string platform, AgentTokenIssued issued)
    {
        var defaults = new AgentInstallOptions();
        var image = install.Image == defaults.Image ? "" : $" --set image.repository={install.ImageRepository} --set image.tag={install.ImageTag}";
        return $"helm upgrade --install {AgentInstallOptions.ReleaseName} {install.ChartReference} --version {install.ChartVersion} " +
            $"--namespace {AgentInstallOptions.Namespace} --create-namespace --set platform.url={platform} " +
            $"--set cluster.id={issued.ClusterId} --set agent.token={issued.Token}{image}";
    }
}

using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SpotOptimizer.Api.Tests.Install;

/// <summary>
/// An API server that knows the kinds the agent's manifest holds and has no objects: enough for kubectl's client-side
/// dry run, which maps each kind through discovery and reads the object (404: "created") before printing.
/// </summary>
internal sealed class DiscoveryServer(WebApplication app) : IAsyncDisposable
{
    private const string NotFound = """{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404}""";

    private static readonly (string GroupVersion, (string Name, string Kind, bool Namespaced)[] Resources)[] Kinds =
    [
        ("v1", [("namespaces", "Namespace", false), ("serviceaccounts", "ServiceAccount", true), ("secrets", "Secret", true)]),
        ("apps/v1", [("deployments", "Deployment", true)]),
        ("policy/v1", [("poddisruptionbudgets", "PodDisruptionBudget", true)]),
        ("rbac.authorization.k8s.io/v1", [("clusterroles", "ClusterRole", false), ("clusterrolebindings", "ClusterRoleBinding", false)]),
    ];

    public Uri BaseAddress { get; } = new(app.Urls.First());

    public static async Task<DiscoveryServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/api", () => Json(new V1APIVersions { ApiVersion = "v1", Kind = "APIVersions", Versions = ["v1"], ServerAddressByClientCIDRs = [] }));
        app.MapGet("/apis", () => Json(new V1APIGroupList { ApiVersion = "v1", Kind = "APIGroupList", Groups = [.. Kinds.Skip(1).Select(k => Group(k.GroupVersion))] }));
        foreach (var (groupVersion, resources) in Kinds)
        {
            var path = groupVersion == "v1" ? "/api/v1" : $"/apis/{groupVersion}";
            app.MapGet(path, () => Json(new V1APIResourceList
            {
                ApiVersion = "v1", Kind = "APIResourceList", GroupVersion = groupVersion,
                Resources = [.. resources.Select(r => new V1APIResource { Name = r.Name, SingularName = r.Kind.ToLowerInvariant(), Kind = r.Kind, Namespaced = r.Namespaced, Verbs = ["get", "list", "create", "patch"] })],
            }));
        }

        app.MapFallback(() => Results.Text(NotFound, "application/json", statusCode: StatusCodes.Status404NotFound));
        await app.StartAsync();
        return new DiscoveryServer(app);
    }

    public string Kubeconfig() => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: dry-run
          cluster:
            server: "{BaseAddress}"
        users:
        - name: dry-run
          user:
            token: unused
        contexts:
        - name: dry-run
          context:
            cluster: dry-run
            user: dry-run
        current-context: dry-run
        """;

    public async ValueTask DisposeAsync() => await app.DisposeAsync();

    private static IResult Json(object value) => Results.Text(KubernetesJson.Serialize(value), "application/json");

    private static V1APIGroup Group(string groupVersion)
    {
        var version = new V1GroupVersionForDiscovery { GroupVersion = groupVersion, Version = "v1" };
        return new V1APIGroup { Name = groupVersion.Split('/')[0], Versions = [version], PreferredVersion = version };
    }
}

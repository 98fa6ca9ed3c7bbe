using System.Net;
using System.Text.Json;
using k8s;
using k8s.Models;
using Microsoft.IdentityModel.Tokens;
using SpotOptimizer.Api.Install;
using SpotOptimizer.Api.Tests.Onboarding;
using SpotOptimizer.Api.Tests.Sweeps;

namespace SpotOptimizer.Api.Tests.Install;

/// <summary>
/// POST /api/clusters/connect returns both install commands for that cluster; the kubectl command's link serves the
/// manifest with the cluster's token (which then authenticates the agent), and only while it is authentic, unexpired
/// and the cluster still managed by its organization.
/// </summary>
public abstract class AgentInstallTests(bool postgres)
{
    [Fact]
    public async Task Connect_BothCommands_InstallThisClusterWithItsToken()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres);
        var (tenant, clusterId, connected) = await ConnectAsync(app, "420000000001");
        var token = connected.GetProperty("agent_token").GetString()!;
        var url = connected.GetProperty("manifest_url").GetString()!;

        Assert.Equal(
            "helm upgrade --install spotoptimizer-agent oci://registry.spotoptimizer.io/charts/spotoptimizer-agent --version 0.1.0 " +
            $"--namespace spotoptimizer --create-namespace --set platform.url=http://localhost --set cluster.id={clusterId} --set agent.token={token}",
            connected.GetProperty("helm_command").GetString());
        Assert.Equal($"kubectl apply -f '{url}'", connected.GetProperty("kubectl_command").GetString());
        Assert.StartsWith("http://localhost/api/install/agent-manifest/", url, StringComparison.Ordinal);
        Assert.DoesNotContain(token, url, StringComparison.Ordinal);
        var expiresAt = connected.GetProperty("manifest_expires_at").GetDateTimeOffset();
        Assert.InRange(expiresAt - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(55), TimeSpan.FromMinutes(61));

        using var kubectl = app.CreateClient();
        using var response = await kubectl.GetAsync(new Uri(url).PathAndQuery);
        var yaml = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, yaml);
        Assert.Equal("application/yaml", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoStore, "the manifest holds the token: no-store");
        var objects = KubernetesYaml.LoadAllFromString(yaml);
        Assert.Equal(7, objects.Count);
        Assert.Equal(token, ManifestAssert.SecretToken(ManifestAssert.Single<V1Secret>(objects)));
        ManifestAssert.RulesAreTheContract(ManifestAssert.Single<V1ClusterRole>(objects));
        var container = ManifestAssert.SecureAgent(ManifestAssert.Single<V1Deployment>(objects), "spotoptimizer-agent");
        Assert.Equal("http://localhost", ManifestAssert.Env(container, "Agent__ApiUrl"));
        Assert.Equal(new AgentInstallOptions().Image, container.Image);
        Assert.All(objects.Cast<IKubernetesObject<V1ObjectMeta>>(), o => Assert.Equal(clusterId, o.Metadata.Labels["spotoptimizer.io/cluster-id"]));

        // The token the manifest installs is the cluster's: the agent's first heartbeat with it is accepted.
        using var beat = await Journey.HeartbeatAsync(app.CreateClient(), ManifestAssert.SecretToken(ManifestAssert.Single<V1Secret>(objects)));
        Journey.AssertStatus(beat, HttpStatusCode.OK);
        Assert.Equal(clusterId, (await tenant.GetJsonAsync($"/api/clusters/{clusterId}")).GetProperty("cluster_id").GetString());
    }

    [Fact]
    public async Task ManifestLink_ForgedExpiredForeignOrUnmanaged_RefusedWithAStableCode()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres);
        var (tenant, clusterId, connected) = await ConnectAsync(app, "420000000002");
        var token = connected.GetProperty("agent_token").GetString()!;
        var ticket = new Uri(connected.GetProperty("manifest_url").GetString()!).Segments[^1];
        var links = app.Services.GetRequiredService<ManifestLinks>();
        using var kubectl = app.CreateClient();

        var altered = ticket[..40] + (ticket[40] == 'A' ? 'B' : 'A') + ticket[41..];
        var otherPlatform = new ManifestLinks(new SymmetricSecurityKey(new byte[32]))
            .Seal(new ManifestTicket(tenant.OrganizationId, clusterId, token, DateTimeOffset.UtcNow.AddHours(1)));
        foreach (var forged in new[] { altered, otherPlatform, "not-a-link", ticket[..^8] })
        {
            using var refused = await kubectl.GetAsync($"/api/install/agent-manifest/{forged}");
            await ProblemAssert.IsAsync(refused, HttpStatusCode.NotFound, "manifest_link_invalid");
        }

        var expired = links.Seal(new ManifestTicket(tenant.OrganizationId, clusterId, token, DateTimeOffset.UtcNow.AddSeconds(-1)));
        using (var refused = await kubectl.GetAsync($"/api/install/agent-manifest/{expired}"))
            await ProblemAssert.IsAsync(refused, HttpStatusCode.Forbidden, "manifest_link_expired");

        // Another tenant can neither connect the cluster nor have a link of its own organization serve it.
        var stranger = await TenantClient.SignUpAsync(app);
        using (var foreign = await stranger.Http.PostAsync("/api/clusters/connect", ProblemAssert.Json($$"""{"cluster_id":"{{clusterId}}"}""")))
            await ProblemAssert.IsAsync(foreign, HttpStatusCode.NotFound, "not_found");
        var strangers = links.Seal(new ManifestTicket(stranger.OrganizationId, clusterId, token, DateTimeOffset.UtcNow.AddHours(1)));
        using (var foreign = await kubectl.GetAsync($"/api/install/agent-manifest/{strangers}"))
            await ProblemAssert.IsAsync(foreign, HttpStatusCode.NotFound, "not_found");

        using (var served = await kubectl.GetAsync($"/api/install/agent-manifest/{ticket}")) Journey.AssertStatus(served, HttpStatusCode.OK);
        using (var unmanage = await tenant.Http.DeleteAsync($"/api/clusters/{clusterId}")) Journey.AssertStatus(unmanage, HttpStatusCode.OK);
        using (var gone = await kubectl.GetAsync($"/api/install/agent-manifest/{ticket}"))
            await ProblemAssert.IsAsync(gone, HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Connect_ConfiguredPlatformUrlAndImage_BothCommandsUseThem()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres, new Dictionary<string, string?>
        {
            ["AgentInstall:PlatformUrl"] = "https://app.example.com/",
            ["AgentInstall:ImageRepository"] = "111122223333.dkr.ecr.us-east-1.amazonaws.com/spotoptimizer-agent",
            ["AgentInstall:ImageTag"] = "1.2.3",
        });
        var (_, _, connected) = await ConnectAsync(app, "420000000003");
        var url = connected.GetProperty("manifest_url").GetString()!;

        var helm = connected.GetProperty("helm_command").GetString()!;
        Assert.Contains(" --set platform.url=https://app.example.com ", helm, StringComparison.Ordinal);
        Assert.EndsWith(" --set image.repository=111122223333.dkr.ecr.us-east-1.amazonaws.com/spotoptimizer-agent --set image.tag=1.2.3", helm, StringComparison.Ordinal);
        Assert.StartsWith("https://app.example.com/api/install/agent-manifest/", url, StringComparison.Ordinal);
        // Every value the command sets is one the chart reads.
        var sets = helm.Split(' ').Zip(helm.Split(' ').Skip(1)).Where(p => p.First == "--set").Select(p => p.Second.Split('=')[0]).ToList();
        Assert.Equal(["platform.url", "cluster.id", "agent.token", "image.repository", "image.tag"], sets);
        Assert.All(sets, key => Assert.NotNull(ChartFiles.Value(ChartFiles.Values(), key)));
        using var kubectl = app.CreateClient();
        var objects = KubernetesYaml.LoadAllFromString(await kubectl.GetStringAsync(new Uri(url).PathAndQuery));
        var container = ManifestAssert.Single<V1Deployment>(objects).Spec.Template.Spec.Containers[0];
        Assert.Equal(("https://app.example.com", "111122223333.dkr.ecr.us-east-1.amazonaws.com/spotoptimizer-agent:1.2.3"),
            (ManifestAssert.Env(container, "Agent__ApiUrl"), container.Image));
    }

    [SkippableFact]
    public async Task ServedManifest_KubectlClientDryRun_AcceptsEveryObject()
    {
        var kubectl = Executables.Find("kubectl");
        Skip.If(kubectl is null, "kubectl is not installed (CI installs none); the typed parse above still runs");
        await using var app = await SpotOptimizerApp.CreateAsync(postgres);
        var (_, _, connected) = await ConnectAsync(app, "420000000004");
        using var http = app.CreateClient();
        var yaml = await http.GetStringAsync(new Uri(connected.GetProperty("manifest_url").GetString()!).PathAndQuery);
        await using var server = await DiscoveryServer.StartAsync();
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Root);
        await File.WriteAllTextAsync(temp.Child("agent.yaml"), yaml);
        await File.WriteAllTextAsync(temp.Child("kubeconfig"), server.Kubeconfig());

        var (exit, output, errors) = await Executables.RunAsync(kubectl!, "--kubeconfig", temp.Child("kubeconfig"),
            "apply", "--dry-run=client", "--validate=false", "-o", "json", "-f", temp.Child("agent.yaml"));

        Assert.True(exit == 0, $"kubectl apply --dry-run=client failed: {errors}\n{output}");
        var items = JsonDocument.Parse(output).RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(
            [
                "ClusterRole/spotoptimizer-agent", "ClusterRoleBinding/spotoptimizer-agent", "Deployment/spotoptimizer-agent", "Namespace/spotoptimizer",
                "PodDisruptionBudget/spotoptimizer-agent", "Secret/spotoptimizer-agent", "ServiceAccount/spotoptimizer-agent",
            ],
            items.Select(i => $"{i.GetProperty("kind").GetString()}/{i.GetProperty("metadata").GetProperty("name").GetString()}").Order(StringComparer.Ordinal));
        // Go's YAML reads every env value as a string (a TimeSpan like 00:00:30 could pass for a YAML 1.1 number).
        var env = items.Single(i => i.GetProperty("kind").GetString() == "Deployment")
            .GetProperty("spec").GetProperty("template").GetProperty("spec").GetProperty("containers")[0].GetProperty("env").EnumerateArray()
            .Where(e => e.TryGetProperty("value", out _)).ToList();
        Assert.Equal(2, env.Count);
        Assert.All(env, e => Assert.Equal(JsonValueKind.String, e.GetProperty("value").ValueKind));
        Assert.Contains(env, e => e.GetProperty("value").GetString() == "00:00:30");
    }

    /// <summary>A new tenant links the simulated AWS account and connects its first discovered cluster.</summary>
    private static async Task<(TenantClient Tenant, string ClusterId, JsonElement Connected)> ConnectAsync(SpotOptimizerApp app, string awsAccountId)
    {
        var tenant = await TenantClient.SignUpAsync(app);
        var accountId = await Journey.LinkAccountAsync(tenant, awsAccountId);
        var clusterId = (await tenant.GetJsonAsync($"/api/clusters/discover?account_id={accountId}")).GetProperty("clusters")
            .EnumerateArray().First().GetProperty("cluster_id").GetString()!;
        return (tenant, clusterId, await tenant.PostJsonAsync("/api/clusters/connect", new { cluster_id = clusterId }));
    }
}

public sealed class SqliteAgentInstallTests() : AgentInstallTests(postgres: false);

public sealed class PostgresAgentInstallTests() : AgentInstallTests(postgres: true);

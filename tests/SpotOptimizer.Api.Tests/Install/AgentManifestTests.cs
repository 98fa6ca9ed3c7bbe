using k8s;
using k8s.Models;
using SpotOptimizer.Api.Install;

namespace SpotOptimizer.Api.Tests.Install;

/// <summary>The served manifest, rendered for one fixed installation and read back as typed objects.</summary>
public sealed class AgentManifestTests
{
    public static readonly AgentInstallation Installation = new(
        "5b0c7e4e-2f7a-4f43-9a43-0d6f4f1f5e11", "https://platform.example", "soa_5b0c7e4e2f7a4f439a430d6f4f1f5e11_c2VjcmV0LXNlY3JldA",
        "registry.example/spotoptimizer-agent:9.9.9", TimeSpan.FromSeconds(45));

    private static List<object> Parsed() => KubernetesYaml.LoadAllFromString(AgentManifest.Yaml(Installation));

    [Fact]
    public void Yaml_EveryObject_ParsesIntoItsTypedKindInTheAgentsNamespace()
    {
        var objects = Parsed();

        Assert.Equal(
            ["ClusterRole", "ClusterRoleBinding", "Deployment", "Namespace", "PodDisruptionBudget", "Secret", "ServiceAccount"],
            objects.Cast<IKubernetesObject<V1ObjectMeta>>().Select(o => o.Kind).Order(StringComparer.Ordinal));
        Assert.All(objects.Cast<IKubernetesObject<V1ObjectMeta>>(), o =>
        {
            Assert.Equal(o is V1Namespace ? "spotoptimizer" : "spotoptimizer-agent", o.Metadata.Name);
            Assert.Equal(o is V1Namespace or V1ClusterRole or V1ClusterRoleBinding ? null : "spotoptimizer", o.Metadata.NamespaceProperty);
            Assert.Equal(Installation.ClusterId, o.Metadata.Labels["spotoptimizer.io/cluster-id"]);
        });
    }

    [Fact]
    public void ClusterRole_Rules_AreExactlyTheContractsAndBoundToTheAgentsAccount()
    {
        var objects = Parsed();

        ManifestAssert.RulesAreTheContract(ManifestAssert.Single<V1ClusterRole>(objects));
        var binding = ManifestAssert.Single<V1ClusterRoleBinding>(objects);
        Assert.Equal(("ClusterRole", "spotoptimizer-agent"), (binding.RoleRef.Kind, binding.RoleRef.Name));
        var subject = Assert.Single(binding.Subjects);
        Assert.Equal(("ServiceAccount", "spotoptimizer-agent", "spotoptimizer"), (subject.Kind, subject.Name, subject.NamespaceProperty));
        Assert.Equal("spotoptimizer-agent", ManifestAssert.Single<V1Deployment>(objects).Spec.Template.Spec.ServiceAccountName);
    }

    [Fact]
    public void Deployment_Agent_IsLockedDownAndConfiguredForThisCluster()
    {
        var objects = Parsed();
        var deployment = ManifestAssert.Single<V1Deployment>(objects);

        var container = ManifestAssert.SecureAgent(deployment, "spotoptimizer-agent");
        Assert.Equal("registry.example/spotoptimizer-agent:9.9.9", container.Image);
        Assert.Equal("https://platform.example", ManifestAssert.Env(container, "Agent__ApiUrl"));
        Assert.Equal("00:00:45", ManifestAssert.Env(container, "Agent__ReportInterval"));
        Assert.Equal(AgentManifest.TokenKey, container.Env.Single(e => e.Name == "Agent__Token").ValueFrom.SecretKeyRef.Key);
        Assert.Equal((new ResourceQuantity("500m"), new ResourceQuantity("512Mi")), (container.Resources.Limits["cpu"], container.Resources.Limits["memory"]));
        Assert.Equal("Recreate", deployment.Spec.Strategy.Type);
        ManifestAssert.NeverBlocksADrain(ManifestAssert.Single<V1PodDisruptionBudget>(objects), deployment);
    }

    [Fact]
    public void PodTemplate_NewToken_ChangesSoTheAgentRestartsWithIt()
    {
        static string Checksum(AgentInstallation installation) =>
            ManifestAssert.Single<V1Deployment>(AgentManifest.Objects(installation)).Spec.Template.Metadata.Annotations[AgentManifest.TokenChecksumAnnotation];

        Assert.Equal(Checksum(Installation), Checksum(Installation with { PlatformUrl = "https://elsewhere.example" }));
        Assert.NotEqual(Checksum(Installation), Checksum(Installation with { Token = Installation.Token + "x" }));
        // sha256("abc"), as Helm's sha256sum prints it, cut to 16 digits by trunc 16.
        Assert.Equal("ba7816bf8f01cfea", AgentManifest.TokenChecksum("abc"));
    }

    [Fact]
    public void Secret_HoldsTheToken_AndNothingElseDoes()
    {
        var yaml = AgentManifest.Yaml(Installation);
        var secret = ManifestAssert.Single<V1Secret>(KubernetesYaml.LoadAllFromString(yaml));

        Assert.Equal(Installation.Token, ManifestAssert.SecretToken(secret));
        Assert.Equal("Opaque", secret.Type);
        // Base64 in the Secret's data: the token's text appears nowhere in the manifest.
        Assert.DoesNotContain(Installation.Token, yaml, StringComparison.Ordinal);
    }
}

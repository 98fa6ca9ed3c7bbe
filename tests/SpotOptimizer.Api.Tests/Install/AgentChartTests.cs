using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using SpotOptimizer.Api.Install;
using YamlDotNet.RepresentationModel;

namespace SpotOptimizer.Api.Tests.Install;

/// <summary>
/// deploy/helm/spotoptimizer-agent and the served manifest must not drift apart: the same RBAC, security contexts,
/// resources, image and version. Helm renders the chart where it is installed (skipped otherwise, as in CI).
/// </summary>
public sealed partial class AgentChartTests
{
    [Fact]
    public void ClusterRoleTemplate_Rules_EqualTheServedManifestsAndTheContract()
    {
        var chart = ChartFiles.Literal<V1ClusterRole>("clusterrole.yaml");

        ManifestAssert.RulesAreTheContract(chart);
        Assert.Equal(ManifestAssert.Flatten(AgentRbac.Rules), ManifestAssert.Flatten(chart.Rules));
    }

    [Fact]
    public void DeploymentTemplate_SecurityContextsAndAffinity_EqualTheServedManifests()
    {
        var chart = ChartFiles.Literal<V1Deployment>("deployment.yaml");
        var served = ManifestAssert.Single<V1Deployment>(AgentManifest.Objects(AgentManifestTests.Installation));
        var (chartPod, servedPod) = (chart.Spec.Template.Spec, served.Spec.Template.Spec);

        Assert.Equal(KubernetesJson.Serialize(servedPod.SecurityContext), KubernetesJson.Serialize(chartPod.SecurityContext));
        Assert.Equal(KubernetesJson.Serialize(servedPod.Containers[0].SecurityContext), KubernetesJson.Serialize(chartPod.Containers[0].SecurityContext));
        Assert.Equal(KubernetesJson.Serialize(servedPod.Affinity), KubernetesJson.Serialize(chartPod.Affinity));
        Assert.Equal(KubernetesJson.Serialize(servedPod.Volumes), KubernetesJson.Serialize(chartPod.Volumes));
        Assert.Equal(served.Spec.Strategy.Type, chart.Spec.Strategy.Type);
        Assert.Equal(served.Spec.Template.Metadata.Annotations.Keys, chart.Spec.Template.Metadata.Annotations.Keys);
        Assert.Equal(servedPod.Containers[0].Env.Select(e => e.Name), chartPod.Containers[0].Env.Select(e => e.Name));
    }

    [Fact]
    public void Values_Defaults_EqualTheServedManifestsAndThePlatformsOptions()
    {
        var values = ChartFiles.Values();
        var defaults = new AgentInstallOptions();
        var container = ManifestAssert.Single<V1Deployment>(AgentManifest.Objects(AgentManifestTests.Installation with { Image = defaults.Image }))
            .Spec.Template.Spec.Containers[0];

        Assert.Equal(defaults.ImageRepository, Scalar(values, "image.repository"));
        Assert.Equal(defaults.ImageTag, Scalar(values, "image.tag"));
        Assert.Equal(defaults.ReportInterval.ToString("c", System.Globalization.CultureInfo.InvariantCulture), Scalar(values, "agent.reportInterval"));
        foreach (var (kind, quantities) in new[] { ("requests", container.Resources.Requests), ("limits", container.Resources.Limits) })
        {
            foreach (var (resource, quantity) in quantities) Assert.Equal(quantity, new ResourceQuantity(Scalar(values, $"resources.{kind}.{resource}")));
        }

        var chart = new YamlStream();
        chart.Load(new StringReader(ChartFiles.Read("Chart.yaml")));
        Assert.Equal(defaults.ChartVersion, Scalar((YamlMappingNode)chart.Documents[0].RootNode, "version"));
        Assert.Equal("spotoptimizer-agent", Scalar((YamlMappingNode)chart.Documents[0].RootNode, "name"));
    }

    [Fact]
    public void Templates_EveryValueTheyRead_IsInValuesYaml()
    {
        var values = ChartFiles.Values();
        var used = Directory.GetFiles(Path.Combine(ChartFiles.Root, "templates"))
            .SelectMany(file => ValuesPath().Matches(File.ReadAllText(file)).Select(m => m.Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal);

        Assert.Contains("agent.token", used);
        Assert.All(used, path => Assert.True(ChartFiles.Value(values, path) is not null, $".Values.{path} is read by a template but not in values.yaml"));
    }

    [SkippableFact]
    public async Task HelmTemplate_WithTheConnectCommandsValues_RendersWhatTheServedManifestHolds()
    {
        var helm = Executables.Find("helm");
        Skip.If(helm is null, "helm is not installed (CI installs none); the literal drift tests above still run");
        var installation = AgentManifestTests.Installation with { Image = new AgentInstallOptions().Image, ReportInterval = TimeSpan.FromSeconds(30) };

        var (exit, output, errors) = await Executables.RunAsync(helm!, "template", AgentInstallOptions.ReleaseName, ChartFiles.Root,
            "--namespace", AgentInstallOptions.Namespace, "--set", $"platform.url={installation.PlatformUrl}",
            "--set", $"cluster.id={installation.ClusterId}", "--set", $"agent.token={installation.Token}");
        Assert.True(exit == 0, $"helm template failed: {errors}");
        var rendered = KubernetesYaml.LoadAllFromString(output);
        var served = AgentManifest.Objects(installation);

        Assert.Equal(
            served.Where(o => o is not V1Namespace).Select(o => o.Kind).Order(StringComparer.Ordinal),
            rendered.Cast<IKubernetesObject>().Select(o => o.Kind).Order(StringComparer.Ordinal));
        ManifestAssert.RulesAreTheContract(ManifestAssert.Single<V1ClusterRole>(rendered));
        var deployment = ManifestAssert.Single<V1Deployment>(rendered);
        var container = ManifestAssert.SecureAgent(deployment, AgentInstallOptions.ReleaseName);
        var servedPod = ManifestAssert.Single<V1Deployment>(served).Spec.Template;
        Assert.Equal(KubernetesJson.Serialize(servedPod.Spec.Containers[0]), KubernetesJson.Serialize(container));
        Assert.Equal(KubernetesJson.Serialize(servedPod.Spec.SecurityContext), KubernetesJson.Serialize(deployment.Spec.Template.Spec.SecurityContext));
        Assert.Equal(servedPod.Metadata.Annotations[AgentManifest.TokenChecksumAnnotation], deployment.Spec.Template.Metadata.Annotations[AgentManifest.TokenChecksumAnnotation]);
        ManifestAssert.NeverBlocksADrain(ManifestAssert.Single<V1PodDisruptionBudget>(rendered), deployment);
        Assert.Equal(installation.Token, ManifestAssert.SecretToken(ManifestAssert.Single<V1Secret>(rendered)));
        Assert.All(rendered.Cast<IKubernetesObject<V1ObjectMeta>>(), o => Assert.Equal(installation.ClusterId, o.Metadata.Labels["spotoptimizer.io/cluster-id"]));
    }

    private static string Scalar(YamlMappingNode root, string path) =>
        Assert.IsType<YamlScalarNode>(ChartFiles.Value(root, path), exactMatch: false).Value!;

    [GeneratedRegex(@"\.Values\.([A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*)")]
    private static partial Regex ValuesPath();
}

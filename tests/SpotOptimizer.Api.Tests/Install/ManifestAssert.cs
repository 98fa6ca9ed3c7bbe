using System.Text;
using k8s;
using k8s.Models;
using SpotOptimizer.Api.Install;

namespace SpotOptimizer.Api.Tests.Install;

/// <summary>What every rendering of the agent's install (served manifest or chart) must hold, checked on typed objects.</summary>
public static class ManifestAssert
{
    /// <summary>The agent RBAC of issue 12's wire contract, written out here so a change to either side fails.</summary>
    public static readonly (string Group, string[] Resources, string[] Verbs)[] ContractRules =
    [
        ("", ["nodes"], ["get", "list", "watch", "patch"]),
        ("", ["pods"], ["get", "list", "watch"]),
        ("", ["pods/eviction"], ["create"]),
        ("", ["events"], ["list", "watch"]),
        ("policy", ["poddisruptionbudgets"], ["get", "list", "watch"]),
        ("apps", ["deployments", "replicasets", "statefulsets", "daemonsets"], ["get", "list", "watch"]),
        ("karpenter.sh", ["nodepools"], ["get", "list", "watch", "patch"]),
        ("karpenter.k8s.aws", ["ec2nodeclasses"], ["get", "list", "watch"]),
        ("metrics.k8s.io", ["pods"], ["get", "list"]),
    ];

    /// <summary>Rules as comparable text, one line per (group, resource) with its sorted verbs.</summary>
    public static IEnumerable<string> Flatten(IEnumerable<V1PolicyRule> rules) =>
        rules.SelectMany(r => (r.ApiGroups ?? [""]).SelectMany(g => r.Resources.Select(res => $"{g}/{res}: {string.Join(',', r.Verbs.Order(StringComparer.Ordinal))}")))
            .Order(StringComparer.Ordinal);

    public static IEnumerable<string> ContractFlattened() =>
        Flatten(ContractRules.Select(r => new V1PolicyRule { ApiGroups = [r.Group], Resources = r.Resources, Verbs = r.Verbs }));

    public static void RulesAreTheContract(V1ClusterRole role)
    {
        Assert.Equal(ContractFlattened(), Flatten(role.Rules));
        Assert.All(role.Rules, r => Assert.True(r.NonResourceURLs is null && r.ResourceNames is null, "no extra rule shapes"));
    }

    /// <summary>Non-root, read-only root fs, no capabilities, RuntimeDefault seccomp, limits, the token from the Secret, one replica.</summary>
    public static V1Container SecureAgent(V1Deployment deployment, string secretName)
    {
        var pod = deployment.Spec.Template.Spec;
        Assert.Equal(1, deployment.Spec.Replicas);
        Assert.True(pod.SecurityContext.RunAsNonRoot);
        Assert.True(pod.SecurityContext.RunAsUser is > 0);
        Assert.Equal("RuntimeDefault", pod.SecurityContext.SeccompProfile.Type);
        var container = Assert.Single(pod.Containers);
        Assert.False(container.SecurityContext.AllowPrivilegeEscalation);
        Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);
        Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);
        Assert.Null(container.SecurityContext.Capabilities.Add);
        Assert.Null(container.SecurityContext.Privileged);
        Assert.Equal(["cpu", "memory"], container.Resources.Limits.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["cpu", "memory"], container.Resources.Requests.Keys.Order(StringComparer.Ordinal));
        Assert.Contains(container.VolumeMounts, m => m.MountPath == "/tmp" && pod.Volumes.Single(v => v.Name == m.Name).EmptyDir is not null);
        var token = container.Env.Single(e => e.Name == "Agent__Token");
        Assert.Null(token.Value);
        Assert.Equal(secretName, token.ValueFrom.SecretKeyRef.Name);
        Assert.DoesNotContain(container.Args ?? [], a => a.Contains("soa_", StringComparison.Ordinal));
        return container;
    }

    /// <summary>maxUnavailable 1 over the agent's pods: never blocks a node drain.</summary>
    public static void NeverBlocksADrain(V1PodDisruptionBudget budget, V1Deployment deployment)
    {
        Assert.Equal("1", budget.Spec.MaxUnavailable.Value);
        Assert.Null(budget.Spec.MinAvailable);
        Assert.Equal(deployment.Spec.Selector.MatchLabels, budget.Spec.Selector.MatchLabels);
    }

    public static string Env(V1Container container, string name) => container.Env.Single(e => e.Name == name).Value;

    public static string SecretToken(V1Secret secret) =>
        secret.Data?.TryGetValue(AgentManifest.TokenKey, out var bytes) == true ? Encoding.UTF8.GetString(bytes) : secret.StringData[AgentManifest.TokenKey];

    public static T Single<T>(IEnumerable<object> objects) where T : IKubernetesObject => Assert.Single(objects.OfType<T>());
}

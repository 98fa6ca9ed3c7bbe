using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using k8s;
using k8s.Models;

namespace SpotOptimizer.Api.Install;

/// <summary>What one cluster's agent is installed with: the platform it reports to and its token.</summary>
public sealed record AgentInstallation(string ClusterId, string PlatformUrl, string Token, string Image, TimeSpan ReportInterval);

/// <summary>
/// The agent's install as one manifest for <c>kubectl apply -f</c>: the objects the Helm chart renders (with release
/// <c>spotoptimizer-agent</c> in namespace <c>spotoptimizer</c>) plus the namespace itself, as typed models.
/// </summary>
public static class AgentManifest
{
    private const string Name = AgentInstallOptions.ReleaseName;
    private const string Namespace = AgentInstallOptions.Namespace;
    public const string TokenKey = "token";

    /// <summary>The image's unprivileged user ($APP_UID of the .NET images), numeric so runAsNonRoot can be verified.</summary>
    public const long RunAsUser = 1654;

    public const string TokenChecksumAnnotation = "checksum/token";

    /// <summary>Helm's <c>sha256sum | trunc 16</c>: the first 16 hex digits of the token's SHA-256 (not enough to guess it from).</summary>
    public static string TokenChecksum(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)))[..16];

    public static string Yaml(AgentInstallation installation) => KubernetesYaml.SerializeAll(Objects(installation));

    public static IReadOnlyList<IKubernetesObject> Objects(AgentInstallation installation)
    {
        var labels = Labels(installation.ClusterId);
        return
        [
            new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = Namespace, Labels = Labels(installation.ClusterId) } },
            new V1ServiceAccount { ApiVersion = "v1", Kind = "ServiceAccount", Metadata = Meta(labels, namespaced: true), AutomountServiceAccountToken = true },
            new V1ClusterRole { ApiVersion = "rbac.authorization.k8s.io/v1", Kind = "ClusterRole", Metadata = Meta(labels, namespaced: false), Rules = [.. AgentRbac.Rules] },
            new V1ClusterRoleBinding
            {
                ApiVersion = "rbac.authorization.k8s.io/v1", Kind = "ClusterRoleBinding", Metadata = Meta(labels, namespaced: false),
                RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = Name },
                Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = Name, NamespaceProperty = Namespace }],
            },
            new V1Secret
            {
                ApiVersion = "v1", Kind = "Secret", Metadata = Meta(labels, namespaced: true), Type = "Opaque",
                Data = new Dictionary<string, byte[]> { [TokenKey] = Encoding.UTF8.GetBytes(installation.Token) },
            },
            Deployment(installation, labels),
            new V1PodDisruptionBudget
            {
                // One replica and maxUnavailable 1: a node drain may always evict the agent; it comes back elsewhere.
                ApiVersion = "policy/v1", Kind = "PodDisruptionBudget", Metadata = Meta(labels, namespaced: true),
                Spec = new V1PodDisruptionBudgetSpec { MaxUnavailable = 1, Selector = new V1LabelSelector { MatchLabels = SelectorLabels() } },
            },
        ];
    }

    private static V1Deployment Deployment(AgentInstallation installation, Dictionary<string, string> labels) => new()
    {
        ApiVersion = "apps/v1", Kind = "Deployment", Metadata = Meta(labels, namespaced: true),
        Spec = new V1DeploymentSpec
        {
            Replicas = 1,
            // Recreate: never two agents at once taking the same cluster's commands during an upgrade.
            Strategy = new V1DeploymentStrategy { Type = "Recreate" },
            Selector = new V1LabelSelector { MatchLabels = SelectorLabels() },
            Template = new V1PodTemplateSpec
            {
                // A new token (connect again, apply again) changes the pod template, so the agent restarts with it
                // (an env var from a Secret is read once); the chart's checksum/token is the same value.
                Metadata = new V1ObjectMeta { Labels = labels, Annotations = new Dictionary<string, string> { [TokenChecksumAnnotation] = TokenChecksum(installation.Token) } },
                Spec = new V1PodSpec
                {
                    ServiceAccountName = Name,
                    AutomountServiceAccountToken = true,
                    SecurityContext = new V1PodSecurityContext
                    {
                        RunAsNonRoot = true, RunAsUser = RunAsUser, RunAsGroup = RunAsUser,
                        SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
                    },
                    Affinity = PreferOnDemand(),
                    NodeSelector = new Dictionary<string, string> { ["kubernetes.io/os"] = "linux" },
                    Containers = [Container(installation)],
                    // The .NET runtime's diagnostics socket and temp files; the root filesystem is read-only.
                    Volumes = [new V1Volume { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = new ResourceQuantity("64Mi") } }],
                },
            },
        },
    };

    private static V1Container Container(AgentInstallation installation) => new()
    {
        Name = "agent",
        Image = installation.Image,
        ImagePullPolicy = "IfNotPresent",
        Env =
        [
            new V1EnvVar { Name = "Agent__ApiUrl", Value = installation.PlatformUrl },
            new V1EnvVar { Name = "Agent__ReportInterval", Value = installation.ReportInterval.ToString("c", CultureInfo.InvariantCulture) },
            new V1EnvVar
            {
                Name = "Agent__Token",
                ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = Name, Key = TokenKey } },
            },
        ],
        SecurityContext = new V1SecurityContext
        {
            AllowPrivilegeEscalation = false, ReadOnlyRootFilesystem = true, RunAsNonRoot = true,
            Capabilities = new V1Capabilities { Drop = ["ALL"] },
        },
        // Sized for clusters of a few thousand pods: each report holds the cluster's node and pod lists in memory.
        Resources = new V1ResourceRequirements
        {
            Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("50m"), ["memory"] = new("128Mi") },
            Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("500m"), ["memory"] = new("512Mi") },
        },
        VolumeMounts = [new V1VolumeMount { Name = "tmp", MountPath = "/tmp" }],
    };

    /// <summary>The agent should outlive the Spot nodes it reports on (and may drain): On-Demand nodes are preferred.</summary>
    private static V1Affinity PreferOnDemand() => new()
    {
        NodeAffinity = new V1NodeAffinity
        {
            PreferredDuringSchedulingIgnoredDuringExecution =
            [
                Prefer("karpenter.sh/capacity-type", "on-demand"),
                Prefer("eks.amazonaws.com/capacityType", "ON_DEMAND"),
            ],
        },
    };

    private static V1PreferredSchedulingTerm Prefer(string key, string value) => new()
    {
        Weight = 100,
        Preference = new V1NodeSelectorTerm { MatchExpressions = [new V1NodeSelectorRequirement { Key = key, OperatorProperty = "In", Values = [value] }] },
    };

    private static V1ObjectMeta Meta(Dictionary<string, string> labels, bool namespaced) =>
        new() { Name = Name, NamespaceProperty = namespaced ? Namespace : null, Labels = labels };

    private static Dictionary<string, string> SelectorLabels() => new()
    {
        ["app.kubernetes.io/name"] = "spotoptimizer-agent",
        ["app.kubernetes.io/instance"] = Name,
    };

    private static Dictionary<string, string> Labels(string clusterId) => new(SelectorLabels())
    {
        ["app.kubernetes.io/part-of"] = "spotoptimizer",
        ["spotoptimizer.io/cluster-id"] = clusterId,
    };
}

namespace SpotOptimizer.Api.Apis;

/// <summary>A minimal kubeconfig: one cluster, one user with a bearer token, one context that is current.</summary>
internal static class KubeconfigYaml
{
    /// <param name="name">An EKS cluster name (letters, digits, '-', '_'): safe as a bare YAML scalar.</param>
    public static string For(string name, string server, string token) => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: {name}
          cluster:
            server: "{server}"
        users:
        - name: spotoptimizer-agent@{name}
          user:
            token: "{token}"
        contexts:
        - name: {name}
          context:
            cluster: {name}
            user: spotoptimizer-agent@{name}
        current-context: {name}

        """;
}

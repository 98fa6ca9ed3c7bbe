namespace SpotOptimizer.Cloud;

/// <summary>The stable error codes of <see cref="CloudException.Code"/>. The Api maps them to ProblemDetails.</summary>
public static class CloudErrorCodes
{
    /// <summary>The role named by the ARN does not exist (the customer's stack is not deployed, or was deleted).</summary>
    public const string RoleNotFound = "role_not_found";

    /// <summary>The role exists but its trust policy requires another External ID.</summary>
    public const string ExternalIdMismatch = "external_id_mismatch";

    /// <summary>
    /// STS refused the role without saying why. AWS answers <c>AccessDenied</c> alike for a missing role, a wrong
    /// External ID and a trust policy that does not name our principal, so against AWS this replaces
    /// <see cref="RoleNotFound"/> and <see cref="ExternalIdMismatch"/>.
    /// </summary>
    public const string AssumeRoleDenied = "assume_role_denied";

    /// <summary>The role ARN is malformed.</summary>
    public const string InvalidRoleArn = "invalid_role_arn";

    /// <summary>Prefix of <c>missing_permission:&lt;action&gt;</c>.</summary>
    public const string MissingPermissionPrefix = "missing_permission:";

    /// <summary>Too many requests; retry with backoff.</summary>
    public const string Throttled = "throttled";

    /// <summary>The pool (AZ, instance type) has no capacity for the request: fall back, do not repeat.</summary>
    public const string InsufficientCapacity = "insufficient_capacity";

    /// <summary>No answer in time.</summary>
    public const string Timeout = "timeout";

    /// <summary>The service failed (5xx) or could not be reached.</summary>
    public const string Unavailable = "unavailable";

    /// <summary>The session's credentials expired: assume the role again.</summary>
    public const string SessionExpired = "session_expired";

    /// <summary>The session's credentials were not accepted (revoked, or not issued by this provider).</summary>
    public const string SessionInvalid = "session_invalid";

    /// <summary>Our own (SaaS) credentials were rejected by STS: an operator problem, not a tenant problem.</summary>
    public const string ProviderCredentialsInvalid = "provider_credentials_invalid";

    /// <summary>STS is disabled in the requested region of the customer's account.</summary>
    public const string RegionDisabled = "region_disabled";

    /// <summary>The named cluster, node group, instance or group does not exist.</summary>
    public const string NotFound = "not_found";

    /// <summary>The request itself is invalid (bad name, out-of-range value).</summary>
    public const string InvalidRequest = "invalid_request";

    /// <summary>An eviction would break a PodDisruptionBudget (HTTP 429 from the eviction API): retry later, never force.</summary>
    public const string DisruptionBudget = "disruption_budget";

    /// <summary>The node runs pods of a namespace the cluster's policy excludes from optimization.</summary>
    public const string ExcludedNamespace = "excluded_namespace";

    /// <summary>The provider does not implement this operation yet.</summary>
    public const string NotImplemented = "not_implemented";

    /// <summary>A node must be drained, and the cluster has no agent polling for commands to do it; nothing changed.</summary>
    public const string AgentNotConnected = "agent_not_connected";

    /// <summary>SAFE_MODE was switched on: the platform refused to change the cloud; nothing was sent.</summary>
    public const string SafeMode = "safe_mode";

    /// <summary>Any other failure; <see cref="CloudException.ProviderCode"/> has the provider's code.</summary>
    public const string CloudError = "cloud_error";

    public static string MissingPermission(string action) => MissingPermissionPrefix + action;
}

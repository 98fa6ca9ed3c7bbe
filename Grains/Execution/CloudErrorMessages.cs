using SpotOptimizer.Cloud;

namespace SpotOptimizer.Grains.Execution;

/// <summary>
/// What a person reads for each stable cloud error code. A provider's own text (an AWS error message, an exception's)
/// goes to the logs only: it can carry request ids, ARNs of our own account or stack traces, and it changes without notice.
/// </summary>
public static class CloudErrorMessages
{
    public static string For(string code) => code switch
    {
        CloudErrorCodes.RoleNotFound => "The IAM role we assume in your account does not exist; deploy (or redeploy) the SpotOptimizer CloudFormation stack.",
        CloudErrorCodes.ExternalIdMismatch or CloudErrorCodes.AssumeRoleDenied =>
            "Your account refused our role assumption; check that the stack's External ID matches the one shown when you linked the account.",
        CloudErrorCodes.InvalidRoleArn => "The role ARN is not a valid IAM role ARN.",
        CloudErrorCodes.Throttled => "AWS throttled our requests; the step will be tried again on the next run.",
        CloudErrorCodes.InsufficientCapacity => "AWS had no capacity in the chosen Spot pool; nothing was replaced there.",
        CloudErrorCodes.Timeout => "AWS did not answer in time; the step will be tried again on the next run.",
        CloudErrorCodes.Unavailable => "An AWS service was unavailable; the step will be tried again on the next run.",
        CloudErrorCodes.SessionExpired or CloudErrorCodes.SessionInvalid => "Our session in your account expired; the next run assumes the role again.",
        CloudErrorCodes.ProviderCredentialsInvalid => "The platform's own AWS credentials were refused; our operators have been alerted. Nothing in your account changed.",
        CloudErrorCodes.RegionDisabled => "AWS STS is disabled in that region of your account; enable it or remove the region.",
        CloudErrorCodes.NotFound => "The cluster, node group or instance no longer exists in AWS.",
        CloudErrorCodes.InvalidRequest => "AWS refused the request as invalid; nothing changed.",
        CloudErrorCodes.DisruptionBudget => "A PodDisruptionBudget did not allow the node to be drained yet; nothing was forced.",
        CloudErrorCodes.ExcludedNamespace => "The node runs pods of a namespace your policy excludes from optimization; it was left alone.",
        CloudErrorCodes.SafeMode => "SAFE_MODE was switched on while the job ran: this step and the ones after it were not carried out.",
        AgentDrainCodes.TokenRevoked => "The cluster's agent token was revoked; no node is drained or removed until the cluster is connected again.",
        AgentDrainCodes.Cancelled => "The agent token was revoked or replaced while the drain waited for the agent; nothing was forced.",
        AgentDrainCodes.NoResult => "The in-cluster agent did not report the drain in time; the node was left in place.",
        AgentDrainCodes.DoNotDisrupt => "The node or one of its pods is marked spotoptimizer.io/do-not-disrupt; it was left alone.",
        AgentDrainCodes.NodeNotFound => "The in-cluster agent did not find the node in Kubernetes; it was left alone.",
        AgentDrainCodes.SafeMode => "The in-cluster agent is in safe mode and refuses disruptive commands until the platform lets it leave.",
        AgentDrainCodes.Forbidden => "Kubernetes refused the agent's drain (RBAC); reinstall the agent's chart or manifest to restore its permissions.",
        AgentDrainCodes.Timeout => "Pods did not leave the node before the agent's drain deadline; nothing was forced.",
        AgentDrainCodes.Failed => "The in-cluster agent could not drain the node; nothing further was changed.",
        CloudErrorCodes.NotImplemented => "This step is not available for your cloud provider yet; nothing changed.",
        CloudErrorCodes.AgentNotConnected => "The cluster's agent is not connected (it has not asked for commands lately), so no node could be drained; nothing changed. Check the agent's pods in the spotoptimizer namespace.",
        _ when code.StartsWith(CloudErrorCodes.MissingPermissionPrefix, StringComparison.Ordinal) =>
            $"The role we assume lacks the permission {code[CloudErrorCodes.MissingPermissionPrefix.Length..]}; update the SpotOptimizer CloudFormation stack.",
        _ => "AWS refused the request; nothing further was changed.",
    };
}

using System.Text.Json;
using SpotOptimizer.Grains.Interfaces.Clusters;

namespace SpotOptimizer.Grains.Clusters;

/// <summary>
/// The agent's safe mode (seed failure level 3) and the policy it enforces in the cluster. An agent that lost the
/// platform reports, once it is back, that it entered safe mode and what it did; the platform answers with
/// <c>leave_safe_mode</c>, since only the platform's word ends it. A change of the policy's Karpenter, binpack or
/// fallback settings reaches the agent as a <c>karpenter_policy</c> command.
/// </summary>
public sealed partial class ClusterGrain
{
    public const string ConsolidateWhenUnderutilized = "WhenEmptyOrUnderutilized";
    public const string ConsolidateWhenEmpty = "WhenEmpty";

    /// <summary>Binpack aggressiveness from which Karpenter may consolidate underutilized nodes too (the default, 50, is on).</summary>
    public const int UnderutilizedConsolidationFrom = 50;

    public async Task<bool?> ReportSafeMode(string tokenHash, AgentSafeModeReport report)
    {
        if (!TokenMatches(tokenHash)) return null;
        var details = JsonSerializer.Serialize(new
        {
            entered_at = report.EnteredAt, reason = report.Reason, unreachable_seconds = report.UnreachableSeconds, actions = report.Actions,
        }, PolicyJson);
        if (report.State == AgentSafeModeStates.Entered)
        {
            // The same episode reported twice (a retried request) is recorded once.
            if (Commands.SafeMode?.EnteredAt != report.EnteredAt)
            {
                Commands.SafeMode = new AgentSafeModeView(report.EnteredAt, report.Reason);
                await commands.WriteStateAsync();
                await activity.RecordAsync(Discovery!.OrganizationId, "agent", "agent.safe_mode_entered", Resource, details, CancellationToken.None);
            }

            await IssueCommand(Discovery!.OrganizationId, "system:agent-channel",
                new AgentCommandRequest(AgentCommandKinds.LeaveSafeMode, IdempotencyKey: $"leave_safe_mode/{report.EnteredAt.UtcTicks}"));
        }
        else if (Commands.SafeMode is not null)
        {
            Commands.SafeMode = null;
            await commands.WriteStateAsync();
            await activity.RecordAsync(Discovery!.OrganizationId, "agent", "agent.safe_mode_left", Resource, details, CancellationToken.None);
        }

        return true;
    }

    /// <summary>
    /// Karpenter's side of the policy. Spot plus On-Demand when the policy allows falling back to On-Demand, else Spot
    /// only; consolidation of underutilized nodes when binpacking is on (aggressiveness at or above
    /// <see cref="UnderutilizedConsolidationFrom"/>), else of empty nodes only.
    /// </summary>
    public static KarpenterCommand KarpenterFor(ClusterPolicy policy) => new(
        policy.KarpenterEnabled,
        policy.OnDemandFallback ? ["spot", "on-demand"] : ["spot"],
        policy.BinpackAggressiveness >= UnderutilizedConsolidationFrom ? ConsolidateWhenUnderutilized : ConsolidateWhenEmpty,
        policy.OnDemandFallback);

    /// <summary>
    /// A newly connected agent (a first install or a new token) gets the policy as it stands, when it manages Karpenter:
    /// later changes only send what changed, and the replaced agent's pending commands were cancelled.
    /// </summary>
    private async Task SendKarpenterPolicyOnConnectAsync(string organizationId, string actor)
    {
        var policy = state.State.Policy;
        if (!policy.KarpenterEnabled) return;
        await IssueCommand(organizationId, actor, new AgentCommandRequest(AgentCommandKinds.KarpenterPolicy,
            IdempotencyKey: $"karpenter_policy/connect/{state.State.AgentTokenHash}", DryRun: policy.DryRun || safeMode.IsOn, Karpenter: KarpenterFor(policy)));
    }

    /// <summary>Queues the policy for the agent when what Karpenter sees changed and an agent can be commanded.</summary>
    private async Task SendKarpenterPolicyAsync(string organizationId, string actor, ClusterPolicy before, ClusterPolicy after)
    {
        var (was, now) = (KarpenterFor(before), KarpenterFor(after));
        if (was with { CapacityTypes = [] } == now with { CapacityTypes = [] } && was.CapacityTypes.SequenceEqual(now.CapacityTypes)) return;
        if (!state.State.Managed || state.State.AgentTokenHash is null) return;
        await IssueCommand(organizationId, actor, new AgentCommandRequest(AgentCommandKinds.KarpenterPolicy,
            IdempotencyKey: $"karpenter_policy/{state.State.PolicyVersion}", DryRun: after.DryRun || safeMode.IsOn, Karpenter: KarpenterFor(after)));
    }
}

using System.Text.Json;
using SpotOptimizer.Grains.Interfaces.Clusters;
using SpotOptimizer.Grains.Interfaces.Optimization;
using Orleans;
using Orleans.Runtime;

namespace SpotOptimizer.Grains.Clusters;

/// <summary>
/// Ending management: every loop of the cluster (its reminders), its running job and its agent token stop, in that
/// order, before the state says unmanaged; the ledger keeps everything that happened.
/// </summary>
public sealed partial class ClusterGrain
{
    public const string UnmanagedCode = "cluster_not_managed";

    public async Task<UnmanageResult?> Unmanage(string organizationId, string actor)
    {
        if (!Owns(organizationId)) return null;
        if (!state.State.Managed) return new UnmanageResult(false, null);
        var leftAsleep = !await WakeBeforeLeavingAsync();
        return new UnmanageResult(true, await StopManagingAsync(organizationId, actor, "unmanaged", leftAsleep), leftAsleep);
    }

    public async Task<UnmanageResult?> Release(string organizationId, string actor)
    {
        if (!Owns(organizationId)) return null;
        var wasManaged = state.State.Managed;
        var leftAsleep = !await WakeBeforeLeavingAsync();
        var cancelled = wasManaged ? await StopManagingAsync(organizationId, actor, "account_unlinked", leftAsleep) : null;
        // A discovered cluster may carry a hibernation loop without being managed.
        await StopLoopsAsync();
        await state.ClearStateAsync();
        state.State = new ClusterState();
        await commands.ClearStateAsync();
        commands.State = new ClusterCommandsState();
        await inventory.ClearStateAsync();
        (inventory.State, _inventoryAt) = (new ClusterInventoryState(), null);
        DeactivateOnIdle();
        return new UnmanageResult(wasManaged, cancelled, leftAsleep);
    }

    /// <summary>
    /// We leave a cluster as we found it: one we put to sleep gets its node groups back before we stop managing it.
    /// True when it is awake (or was never asleep); false when it stays scaled down.
    /// </summary>
    private async Task<bool> WakeBeforeLeavingAsync()
    {
        if (state.State.Power != ClusterPower.Asleep) return true;
        if (Discovery is not { } discovery || safeMode.IsOn || state.State.Policy.DryRun) return false;
        return await SetPowerAsync(discovery, ClusterPower.Awake, "unmanaged", time.GetUtcNow());
    }

    private async Task<string?> StopManagingAsync(string organizationId, string actor, string reason, bool leftAsleep)
    {
        await StopLoopsAsync();
        var job = state.State.ActiveJobId;
        if (job is not null) await GrainFactory.GetGrain<IOptimizationJobGrain>(job).Cancel(UnmanagedCode);
        state.State.Managed = false;
        state.State.AgentTokenHash = null;
        state.State.ActiveJobId = null;
        state.State.ConnectedAt = null;
        await state.WriteStateAsync();
        (_lastSeen, _agentVersion, _reportedNodes) = (null, null, 0);
        await ForgetInventoryAsync();
        await SyncOccupancyAsync();
        if (Commands.SafeMode is not null)
        {
            Commands.SafeMode = null;
            await commands.WriteStateAsync();
        }

        await CancelCommandsAsync(actor, reason);
        await GrainFactory.GetGrain<IOrganizationGrain>(organizationId).RemoveManagedCluster(this.GetPrimaryKeyString());
        await activity.RecordAsync(organizationId, actor, "cluster.unmanaged", Resource,
            JsonSerializer.Serialize(new { reason, cancelled_job = job, left_asleep = leftAsleep }, PolicyJson), CancellationToken.None);
        return job;
    }

    private async Task StopLoopsAsync()
    {
        foreach (var name in new[] { OptimizeReminder, HibernationReminder })
        {
            if (await this.GetReminder(name) is { } reminder) await this.UnregisterReminder(reminder);
        }
    }
}

using System.Text.Json;
using SpotOptimizer.Grains.Interfaces.Accounts;
using SpotOptimizer.Grains.Interfaces.Clusters;
using Orleans;
using Orleans.Runtime;
using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Grains.Accounts;

/// <summary>
/// Unlinking: the discovery loop stops first (nothing rediscovers what is being released), then every cluster is
/// released, then the state — role ARN, External ID, inventory — is cleared, and last the account slot goes with its
/// ledger entry in one transaction. Each step can run again, so a retry after a failure finishes the job.
/// </summary>
public sealed partial class AccountGrain
{
    public async Task<AccountUnlinked?> Unlink(string organizationId, string actor)
    {
        // A placeholder slot never linked has no owner in its state yet; the caller found it among the organization's slots.
        if (S.OrganizationId is { } owner && owner != organizationId) return null;
        if (await this.GetReminder(DiscoveryReminder) is { } reminder) await this.UnregisterReminder(reminder);
        foreach (var region in options.Value.Regions)
            await GrainFactory.GetGrain<IInstanceEventsGrain>(InstanceEventsKeys.For(this.GetPrimaryKeyString(), region)).Stop();

        // Discovery drops a cluster that left the account from its inventory, but the cluster may still be managed.
        var clusters = S.Clusters.Select(c => c.ClusterId).ToHashSet(StringComparer.Ordinal);
        foreach (var managed in await GrainFactory.GetGrain<IOrganizationGrain>(organizationId).GetManagedClusters())
        {
            if (await GrainFactory.GetGrain<IClusterGrain>(managed).Get(organizationId) is { } view && view.AccountId == this.GetPrimaryKeyString()) clusters.Add(managed);
        }

        var unmanaged = new List<string>();
        foreach (var clusterId in clusters.Order(StringComparer.Ordinal))
        {
            var released = await GrainFactory.GetGrain<IClusterGrain>(clusterId).Release(organizationId, actor);
            if (released is { WasManaged: true }) unmanaged.Add(clusterId);
        }

        var unlinked = new AccountUnlinked(this.GetPrimaryKeyString(), S.AwsAccountId, unmanaged);
        await state.ClearStateAsync();
        state.State = new AccountState();
        _session = null;

        var details = JsonSerializer.Serialize(new { aws_account_id = unlinked.AwsAccountId, clusters_unmanaged = unmanaged }, DetailsJson);
        var impersonator = RequestContext.Get(AuditLedger.ImpersonatorKey) as string;
        await directory.RemoveAsync(organizationId, this.GetPrimaryKeyString(),
            new LedgerDraft(organizationId, actor, impersonator, "account.unlinked", Resource, null, details), CancellationToken.None);
        DeactivateOnIdle();
        return unlinked;
    }
}

using SpotOptimizer.Grains.Interfaces.Feeds;
using System.Text.Json;
using SpotOptimizer.Cloud;
using SpotOptimizer.Grains.Interfaces.Accounts;
using SpotOptimizer.Grains.Interfaces.Clusters;
using SpotOptimizer.Grains.Interfaces.Market;
using SpotOptimizer.Grains.Market;

namespace SpotOptimizer.Grains.Accounts;

public sealed partial class AccountGrain
{
    /// <summary>
    /// Scans the account, diffs against the previous inventory, hands each cluster to its grain, and reports
    /// progress on the organization's onboarding stream as it goes.
    /// </summary>
    public async Task<DiscoverySummary> Discover()
    {
        if (S.Status is not (AccountStatus.Scanning or AccountStatus.Active)) return new DiscoverySummary(0, 0, [], [], 0, 0);
        var organizationId = S.OrganizationId!;
        try
        {
            await ReportAsync(5, S.Clusters.Count, "assuming_role");
            var session = await AssumeAsync();
            await ReportAsync(15, S.Clusters.Count, "scanning");
            var inventory = await AccountInventory.ScanAsync(cloud, session, options.Value.Regions);
            // A region's zone IDs are one map for all its clusters (RegionInventory.ZoneIds builds it on every read).
            var clusters = inventory.Regions.Select(r => (Region: r, ZoneIds: r.ZoneIds))
                .SelectMany(r => r.Region.Clusters.Select(c => (r.Region.Region, Inventory: c, r.ZoneIds))).ToList();
            await ReportAsync(60, clusters.Count, "applying");

            var known = new List<KnownCluster>();
            for (var i = 0; i < clusters.Count; i++)
            {
                var (region, cluster, zoneIds) = clusters[i];
                known.Add(await ApplyClusterAsync(organizationId, region, cluster, zoneIds));
                await ReportAsync(60 + (35 * (i + 1) / clusters.Count), clusters.Count, "applying");
            }

            var summary = Diff(known, inventory);
            foreach (var gone in S.Clusters.Where(c => known.All(k => k.ClusterId != c.ClusterId)))
            {
                await GrainFactory.GetGrain<IClusterGrain>(gone.ClusterId).MarkGone(this.GetPrimaryKeyString());
            }

            await ReportInterruptionsAsync(session, organizationId, inventory);
            await StartInstanceEventsAsync(organizationId, inventory);
            S.Clusters = known;
            S.InstanceIds = [.. inventory.Regions.SelectMany(r => r.Instances).Where(i => i.IsActive).Select(i => i.InstanceId).Order(StringComparer.Ordinal)];
            S.LastDiscoveryAt = time.GetUtcNow();
            S.Status = AccountStatus.Active;
            S.ErrorCode = S.ErrorMessage = null;
            await state.WriteStateAsync();
            await activity.RecordAsync(organizationId, "system:discovery", "account.discovery_completed", Resource,
                JsonSerializer.Serialize(summary, DetailsJson), CancellationToken.None);
            await ReportAsync(100, known.Count, "done");
            return summary;
        }
        catch (CloudException exception)
        {
            failures.Record(LoopFailures.Discovery, exception.Code);
            S.ErrorCode = exception.Code;
            S.ErrorMessage = exception.Message;
            await state.WriteStateAsync();
            await activity.RecordAsync(organizationId, "system:discovery", "account.discovery_failed", Resource,
                $$"""{"code":"{{exception.Code}}"}""", CancellationToken.None);
            await ReportAsync(100, S.Clusters.Count, "failed");
            throw;
        }
    }

    /// <summary>
    /// Hands the account's new Spot interruption notices and rebalance recommendations to the pool grains, which flag
    /// the pools for every tenant: AWS's own notices about this account are corroborated evidence. Notices are read with a minute of overlap; the pool grain counts each one once.
    /// A provider that cannot read notices does not fail discovery: the hive mind just learns nothing from it.
    /// </summary>
    private async Task ReportInterruptionsAsync(CloudSession session, string organizationId, AccountInventory inventory)
    {
        var now = time.GetUtcNow();
        var since = (S.NoticesReadAt ?? now - TimeSpan.FromHours(1)) - TimeSpan.FromMinutes(1);
        var allRead = true;
        foreach (var region in options.Value.Regions)
        {
            IReadOnlyList<InterruptionNotice> notices;
            try
            {
                notices = await cloud.Instances.GetInterruptionNoticesAsync(session, region, since);
            }
            catch (CloudException exception)
            {
                LogNoticesUnavailable(logger, exception, this.GetPrimaryKeyString(), region, exception.Code);
                allRead = false;
                continue;
            }

            if (notices.Count == 0) continue;
            // The hive mind keeps pools in the market's zone names: this account's "a" may be another account's "c".
            var zones = await GrainFactory.ZoneTranslationAsync(region, inventory.Regions.FirstOrDefault(r => r.Region == region)?.ZoneIds);
            foreach (var notice in notices)
            {
                var kind = notice.Kind == InterruptionKind.Interruption ? InterruptionKinds.Interruption : InterruptionKinds.RebalanceRecommendation;
                if (zones.ToPlatform(notice.AvailabilityZone) is not { } zone) continue;
                var pool = await GrainFactory.GetGrain<ISpotPoolGrain>(SpotPoolKeys.For(region, zone, notice.InstanceType))
                    .ReportInterruption(new InterruptionReport(notice.InstanceId, kind, notice.NoticeTime, HiveReporters.For(organizationId), InterruptionSources.Discovery));
                await activity.RecordAsync(organizationId, "system:discovery", "spot.interruption_observed", $"instance:{notice.InstanceId}",
                    JsonSerializer.Serialize(new { kind, pool = $"{region}/{zone}/{notice.InstanceType}", availability_zone = notice.AvailabilityZone, notice_time = notice.NoticeTime,
                        flagged_until = pool.FlaggedUntil, flag_reason = pool.FlagReason }, DetailsJson), CancellationToken.None);
            }
        }

        // A region that could not be read is read from the same point next time.
        if (allRead) S.NoticesReadAt = now;
    }

    /// <summary>
    /// (Re)starts the poller of the account's EventBridge queue in each region: after a silo restart this is what wakes
    /// it. A region without the stack's queue stops its poller on the first receive, until the next discovery.
    /// </summary>
    private async Task StartInstanceEventsAsync(string organizationId, AccountInventory inventory)
    {
        var access = new CloudAccess(S.AwsAccountId!, S.RoleArn!, S.ExternalId!, options.Value.SessionName);
        foreach (var region in options.Value.Regions)
        {
            var subscription = new InstanceEventsSubscription(organizationId, access, inventory.Regions.FirstOrDefault(r => r.Region == region)?.ZoneIds);
            await GrainFactory.GetGrain<IInstanceEventsGrain>(InstanceEventsKeys.For(this.GetPrimaryKeyString(), region)).Start(subscription);
        }
    }

    private static readonly JsonSerializerOptions DetailsJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private async Task<KnownCluster> ApplyClusterAsync(string organizationId, string region, ClusterInventory cluster, IReadOnlyDictionary<string, string>? zoneIds)
    {
        var id = ClusterIds.For(S.AwsAccountId!, region, cluster.Cluster.Name);
        var nodes = cluster.Nodes.Where(n => n.IsActive).ToList();
        await GrainFactory.GetGrain<IClusterGrain>(id).ApplyDiscovery(new ClusterDiscovery(
            organizationId, this.GetPrimaryKeyString(), S.AwsAccountId!, region, cluster.Cluster.Name, cluster.Cluster.Arn,
            cluster.Cluster.Version, cluster.Cluster.Status, cluster.Cluster.Endpoint,
            [.. cluster.Nodegroups.Select(g => new NodegroupSummary(g.Name, g.CapacityType == CapacityType.Spot ? "spot" : "on_demand",
                g.InstanceTypes, g.Scaling.MinSize, g.Scaling.MaxSize, g.Scaling.DesiredSize))],
            [.. nodes.Select(n => new NodeSummary(n.InstanceId, n.InstanceType, n.AvailabilityZone,
                n.Lifecycle == InstanceLifecycle.Spot ? "spot" : "on_demand", n.NodegroupName))], zoneIds));
        return new KnownCluster(id, cluster.Cluster.Name, region, cluster.Cluster.Version, cluster.Cluster.Status, nodes.Count);
    }

    private DiscoverySummary Diff(List<KnownCluster> found, AccountInventory inventory)
    {
        var before = S.Clusters.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var after = found.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var instancesBefore = S.InstanceIds.ToHashSet(StringComparer.Ordinal);
        var instancesAfter = inventory.Regions.SelectMany(r => r.Instances).Where(i => i.IsActive).Select(i => i.InstanceId).ToHashSet(StringComparer.Ordinal);
        return new DiscoverySummary(
            found.Count,
            instancesAfter.Count,
            [.. after.Except(before).Order(StringComparer.Ordinal)],
            [.. before.Except(after).Order(StringComparer.Ordinal)],
            instancesAfter.Except(instancesBefore).Count(),
            instancesBefore.Except(instancesAfter).Count());
    }

    private Task ReportAsync(int progress, int clustersFound, string stage) =>
        GrainFactory.GetGrain<IFeedHubGrain>(FeedHubs.For(S.OrganizationId!)).Publish(new FeedEvent(FeedNames.Onboarding, S.OrganizationId!,
            System.Text.Json.JsonSerializer.Serialize(new DiscoveryProgress(this.GetPrimaryKeyString(), progress, clustersFound, stage))));
}

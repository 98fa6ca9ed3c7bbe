using System.Text.Json;
using Orleans;
using SpotOptimizer.Grains.Interfaces.Feeds;
using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Silo.Feeds;

/// <summary>Announces committed ledger entries through the organization's feed hub, so every API instance sees them.</summary>
internal sealed class GrainActivityPublisher(IGrainFactory grains) : IActivityPublisher
{
    public Task PublishAsync(LedgerEntry entry) =>
        grains.GetGrain<IFeedHubGrain>(FeedHubs.For(entry.OrganizationId))
            .Publish(new FeedEvent(FeedNames.Activity, entry.OrganizationId, JsonSerializer.Serialize(entry)));
}

/// <summary>The impersonator travels in Orleans's request context, so it follows a request across grain calls and silos.</summary>
internal sealed class OrleansCallerContext : ICallerContext
{
    public string? Impersonator => Orleans.Runtime.RequestContext.Get(AuditLedger.ImpersonatorKey) as string;
}

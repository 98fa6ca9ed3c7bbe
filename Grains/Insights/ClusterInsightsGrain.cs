using System.Globalization;
using Microsoft.Extensions.Options;
using Orleans;
using SpotOptimizer.Grains.Interfaces.Clusters;
using SpotOptimizer.Grains.Interfaces.Insights;
using SpotOptimizer.Grains.Interfaces.Market;
using SpotOptimizer.Grains.Market;
using SpotOptimizer.Grains.Optimization;
using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Selection;
using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Grains.Insights;

/// <summary>
/// Issue 14 item 8: one cluster's KPIs and projection, computed on demand and kept in memory under a key of their
/// inputs (every managed cluster's inventory or discovery version and policy version, the organization's commitments,
/// the ledger's replacement, consolidation and interruption counts, each region's market price hour). Reading the key costs a few
/// grain calls and two counts; the formulas and the packing run only when it changed. The clock's hour is in the key
/// too, so "hours run until now" is at most an hour old.
/// </summary>
public sealed class ClusterInsightsGrain(CommitmentStore commitmentStore, AuditQueries audit, IOptions<OptimizerOptions> optimizer, TimeProvider time)
    : Grain, IClusterInsightsGrain
{
    private (string Key, ClusterKpi Value)? _kpi;
    private (string Key, ProjectionView Value)? _projection;
    private int _kpiComputations;
    private int _projectionComputations;

    private string ClusterId => this.GetPrimaryKeyString();

    public async Task<ClusterKpi?> GetKpi(string organizationId)
    {
        if (await InputsAsync(organizationId) is not { } inputs) return null;
        if (_kpi is { } cached && cached.Key == inputs.Key) return cached.Value;
        var now = time.GetUtcNow();
        var ledger = await new LedgerFacts(audit).ReadAsync(organizationId, ClusterId);
        var coverage = OrganizationFleet.Coverage(inputs.Fleets, inputs.Markets, CommitmentMapping.ToModel(inputs.Commitments), now);
        var kpi = KpiBuilder.Build(inputs.Fleet, inputs.Fleet.MarketOf(inputs.Markets), coverage, inputs.Commitments, ledger, now, ++_kpiComputations);
        _kpi = (inputs.Key, kpi);
        return kpi;
    }

    public async Task<ProjectionView?> GetProjection(string organizationId)
    {
        if (await InputsAsync(organizationId) is not { } inputs) return null;
        if (_projection is { } cached && cached.Key == inputs.Key) return cached.Value;
        var now = time.GetUtcNow();
        var policy = inputs.Fleet.Policy;
        var market = inputs.Fleet.MarketOf(inputs.Markets) is { } quotes
            ? MarketQuotesMapping.ToSnapshot(quotes)
            : new MarketSnapshot(inputs.Fleet.Region, now, [], []);
        var usage = inputs.Fleets.SelectMany(f => CommitmentMapping.OnDemandUsage(
            f.Nodes.Select(n => (n.InstanceId, n.InstanceType, n.Zone, n.Purchase == PurchaseOption.OnDemand)), f.Region,
            inputs.Markets.GetValueOrDefault(f.Region))).ToList();
        var view = ProjectionBuilder.Build(inputs.Fleet, market, usage, CommitmentMapping.ToModel(inputs.Commitments), policy, optimizer.Value.MinOnDemandNodes, now,
            ++_projectionComputations);
        _projection = (inputs.Key, view);
        return view;
    }

    private sealed record Inputs(
        string Key, ClusterFleet Fleet, IReadOnlyList<ClusterFleet> Fleets, IReadOnlyDictionary<string, MarketQuotes?> Markets, IReadOnlyList<CommitmentRecord> Commitments);

    private async Task<Inputs?> InputsAsync(string organizationId)
    {
        if (await GrainFactory.GetGrain<IClusterGrain>(ClusterId).Get(organizationId) is null) return null;
        var managed = await GrainFactory.GetGrain<IOrganizationGrain>(organizationId).GetManagedClusters();
        var fleets = await OrganizationFleet.GatherAsync(GrainFactory, organizationId, managed.Append(ClusterId));
        if (fleets.FirstOrDefault(f => f.ClusterId == ClusterId) is not { } fleet) return null;
        var markets = await OrganizationFleet.MarketsAsync(GrainFactory, fleets.Select(f => f.Region));
        var commitments = await commitmentStore.ListAsync(organizationId, CancellationToken.None);
        var (replacements, interruptions, consolidations) = await new LedgerFacts(audit).CountsAsync(organizationId, ClusterId);
        var key = string.Join('|',
        [
            .. fleets.Select(f => $"{f.ClusterId}:{f.Version}:{f.PolicyVersion}"),
            .. commitments.Select(c => c.Id),
            $"replaced:{replacements}", $"interrupted:{interruptions}", $"consolidated:{consolidations}",
            .. markets.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => $"{m.Key}@{PriceHour(m.Value)}"),
            $"now:{time.GetUtcNow().ToUnixTimeSeconds() / 3600}",
        ]);
        return new Inputs(key, fleet, fleets, markets, commitments);
    }

    /// <summary>The market's refresh time to the hour: prices move every few minutes, the KPIs need not.</summary>
    private static string PriceHour(MarketQuotes? market) =>
        market is null ? "none" : (market.At.ToUnixTimeSeconds() / 3600).ToString(CultureInfo.InvariantCulture);
}

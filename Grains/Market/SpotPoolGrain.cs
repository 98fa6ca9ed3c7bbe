using Microsoft.Extensions.Options;
using SpotOptimizer.Grains.Interfaces.Market;
using Orleans;
using Orleans.Runtime;

namespace SpotOptimizer.Grains.Market;

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed class SpotPoolState
{
    public int Interruptions { get; set; }

    public int RebalanceRecommendations { get; set; }

    public DateTimeOffset? LastReportAt { get; set; }

    public DateTimeOffset? FlaggedUntil { get; set; }

    /// <summary>The kind of report that set <see cref="FlaggedUntil"/>.</summary>
    public string? FlagKind { get; set; }

    /// <summary>Recent reports as "kind:instance", so the same notice seen by repeated discovery passes counts once.</summary>
    public List<string> RecentReports { get; set; } = [];
}

/// <summary>
/// The hive mind's pool: a report from any tenant counts once per (kind, instance), raises the flag until the
/// notice time plus the TTL, and pushes it to the region's board before answering, so the next decision of any
/// tenant sees it. Prices are the region's market grain's: read from it when the pool is viewed, never copied here
/// (pushing every refresh to ~1,200 pool grains would wake them all every five minutes).
/// </summary>
public sealed class SpotPoolGrain(
    [PersistentState("spot-pool")] IPersistentState<SpotPoolState> state,
    IOptions<MarketOptions> options,
    TimeProvider time) : Grain, ISpotPoolGrain
{
    private const int RecentPricesKept = 24;
    private const int RecentReportsKept = 200;

    public async Task<SpotPoolView> ReportInterruption(InterruptionReport report)
    {
        var key = $"{report.Kind}:{report.InstanceId}";
        if (state.State.RecentReports.Contains(key)) return View(prices: null);
        var until = report.NoticeTime + FlagLifetime(report.Kind);
        var raised = until > time.GetUtcNow() && (state.State.FlaggedUntil is not { } current || until > current);
        if (raised)
        {
            // The board first, and nothing recorded before it answers: if it fails, a retried report is not a duplicate.
            var (region, zone, type) = SpotPoolKeys.Parse(this.GetPrimaryKeyString());
            await GrainFactory.GetGrain<IRiskBoardGrain>(region).Flag(new PoolFlag(zone, type, until, report.Kind, 1));
            state.State.FlaggedUntil = until;
            state.State.FlagKind = report.Kind;
        }

        state.State.RecentReports.Add(key);
        if (state.State.RecentReports.Count > RecentReportsKept) state.State.RecentReports.RemoveAt(0);
        if (report.Kind == InterruptionKinds.RebalanceRecommendation) state.State.RebalanceRecommendations++;
        else state.State.Interruptions++;
        if (state.State.LastReportAt is not { } last || report.NoticeTime > last) state.State.LastReportAt = report.NoticeTime;
        await state.WriteStateAsync();
        return View(prices: null);
    }

    /// <summary>A rebalance recommendation weighs less than an interruption: it flags the pool for a shorter time.</summary>
    private TimeSpan FlagLifetime(string kind) =>
        kind == InterruptionKinds.RebalanceRecommendation ? options.Value.RiskFlagTtl * options.Value.RebalanceFlagWeight : options.Value.RiskFlagTtl;

    public async Task<SpotPoolView> Get()
    {
        var (region, zone, type) = SpotPoolKeys.Parse(this.GetPrimaryKeyString());
        return View(await GrainFactory.GetGrain<IMarketGrain>(region).GetPoolPrices(zone, type, RecentPricesKept));
    }

    private SpotPoolView View(PoolPriceHistory? prices)
    {
        var (region, zone, type) = SpotPoolKeys.Parse(this.GetPrimaryKeyString());
        var s = state.State;
        var flagged = s.FlaggedUntil > time.GetUtcNow() ? s.FlaggedUntil : null;
        return new SpotPoolView(region, zone, type, prices?.PricePerHour, prices?.Stale ?? false, prices?.Recent ?? [],
            s.Interruptions, s.RebalanceRecommendations, s.LastReportAt, flagged) { FlagKind = flagged is null ? null : s.FlagKind };
    }
}

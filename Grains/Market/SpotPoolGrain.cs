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

    /// <summary>Until when the pool is flagged for every tenant.</summary>
    public DateTimeOffset? FlaggedUntil { get; set; }

    /// <summary>The kind of report that set <see cref="FlaggedUntil"/>.</summary>
    public string? FlagKind { get; set; }

    /// <summary>Recent reports as "kind:instance" (counted once) and "source:kind:instance" (weighed once per source).</summary>
    public List<string> RecentReports { get; set; } = [];

    /// <summary>Why <see cref="FlaggedUntil"/> is in force (<see cref="FlagReasons"/>); null in state saved before reasons were kept.</summary>
    public string? FlagReason { get; set; }

    /// <summary>The reports whose flag lifetime has not ended: who (opaque), from where, until when. Distinct tenants are counted over these.</summary>
    public List<PoolClaim> Claims { get; set; } = [];
}

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed class PoolClaim
{
    public string Reporter { get; set; } = "";

    public string Source { get; set; } = "";

    public DateTimeOffset Until { get; set; }
}

/// <summary>
/// The hive mind's pool. Each report counts once per (kind, instance) and is weighed once per source. The flag rises
/// for every tenant (on the region's board, before the report is answered, so the next decision of any tenant sees it)
/// only on evidence no single tenant can fake: AWS's own event or notice, claims from
/// <see cref="MarketOptions.DistinctTenantsToFlag"/> distinct tenants, or a lone claim backed by a price jump in the
/// pool. A lone claim otherwise flags the pool on its reporter's own board only: its own decisions avoid the pool,
/// nobody else's move. Prices are the region's market grain's: read from it when the pool is viewed or a lone claim
/// needs backing, never copied here (pushing every refresh to ~1,200 pool grains would wake them all every five minutes).
/// </summary>
public sealed class SpotPoolGrain(
    [PersistentState("spot-pool")] IPersistentState<SpotPoolState> state,
    IOptions<MarketOptions> options,
    TimeProvider time) : Grain, ISpotPoolGrain
{
    private const int RecentPricesKept = 24;
    private const int RecentReportsKept = 200;
    private const int ClaimsKept = 200;

    private SpotPoolState S => state.State;

    public async Task<SpotPoolView> ReportInterruption(InterruptionReport report)
    {
        ArgumentException.ThrowIfNullOrEmpty(report.Reporter);
        var counted = $"{report.Kind}:{report.InstanceId}";
        var weighed = $"{report.Source}:{counted}";
        if (S.RecentReports.Contains(weighed)) return View(prices: null);
        var now = time.GetUtcNow();
        var until = report.NoticeTime + FlagLifetime(report.Kind);
        S.Claims.RemoveAll(c => c.Until <= now);
        List<PoolClaim> claims = until > now ? [.. S.Claims, new PoolClaim { Reporter = report.Reporter, Source = report.Source, Until = until }] : S.Claims;
        DateTimeOffset? ownUntil = null;
        if (until > now)
        {
            var (region, zone, type) = SpotPoolKeys.Parse(this.GetPrimaryKeyString());
            var reason = FlagEvidence.Corroboration(report.Source, claims.Select(c => c.Reporter), options.Value.DistinctTenantsToFlag)
                ?? await PriceJumpAsync(region, zone, type);
            // The board first, and nothing recorded before it answers: if it fails, a retried report is not a duplicate.
            if (reason is not null)
            {
                // Tenants that agree flag the pool as long as the longest of their claims; AWS's word as long as itself.
                var shared = FlagReasons.Code(reason) == FlagReasons.DistinctTenants ? claims.Max(c => c.Until) : until;
                var raised = S.FlaggedUntil is not { } current || shared > current;
                if (raised || reason != S.FlagReason)
                {
                    var flagUntil = raised ? shared : S.FlaggedUntil!.Value;
                    await GrainFactory.GetGrain<IRiskBoardGrain>(region).Flag(new PoolFlag(zone, type, flagUntil, report.Kind, 1) { Reason = reason });
                    S.FlaggedUntil = flagUntil;
                    S.FlagKind = report.Kind;
                    S.FlagReason = reason;
                }
            }
            else
            {
                await GrainFactory.GetGrain<IRiskBoardGrain>(RiskBoardKeys.Own(region, report.Reporter))
                    .Flag(new PoolFlag(zone, type, until, report.Kind, 1) { Reason = FlagReasons.OwnReport });
                ownUntil = until;
            }

            ProductMetrics.HiveReports.Add(1, new KeyValuePair<string, object?>("source", report.Source),
                new KeyValuePair<string, object?>("flagged", reason is null ? "reporter" : "everyone"));
        }

        S.Claims = claims.Count > ClaimsKept ? claims[^ClaimsKept..] : claims;
        Remember(weighed);
        if (!S.RecentReports.Contains(counted))
        {
            Remember(counted);
            if (report.Kind == InterruptionKinds.RebalanceRecommendation) S.RebalanceRecommendations++;
            else S.Interruptions++;
        }

        if (S.LastReportAt is not { } last || report.NoticeTime > last) S.LastReportAt = report.NoticeTime;
        await state.WriteStateAsync();
        return View(prices: null) with { OwnFlaggedUntil = ownUntil };
    }

    private void Remember(string key)
    {
        S.RecentReports.Add(key);
        if (S.RecentReports.Count > RecentReportsKept) S.RecentReports.RemoveAt(0);
    }

    /// <summary>Only a lone claim gets here: the market grain's recent prices for this pool say whether a jump backs it.</summary>
    private async Task<string?> PriceJumpAsync(string region, string zone, string type)
    {
        var prices = await GrainFactory.GetGrain<IMarketGrain>(region).GetPoolPrices(zone, type, options.Value.PriceJumpLookbackHours + 1);
        return FlagEvidence.PriceJump(prices, options.Value.PriceJumpLookbackHours, options.Value.PriceJumpRatio) is { } rise
            ? FlagEvidence.PriceJumpReason(rise)
            : null;
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
        var now = time.GetUtcNow();
        var flagged = S.FlaggedUntil > now ? S.FlaggedUntil : null;
        return new SpotPoolView(region, zone, type, prices?.PricePerHour, prices?.Stale ?? false, prices?.Recent ?? [],
            S.Interruptions, S.RebalanceRecommendations, S.LastReportAt, flagged)
        {
            FlagKind = flagged is null ? null : S.FlagKind,
            FlagReason = flagged is null ? null : S.FlagReason,
            Reporters = S.Claims.Where(c => c.Until > now).Select(c => c.Reporter).Distinct(StringComparer.Ordinal).Count(),
        };
    }
}

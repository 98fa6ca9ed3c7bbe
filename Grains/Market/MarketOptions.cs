namespace SpotOptimizer.Grains.Market;

/// <summary>Section <c>Market</c>: the feeds' cadence (SVC-PRICE-01, SVC-SCRAPE-01) and the hive mind's flag lifetime.</summary>
public sealed class MarketOptions
{
    /// <summary>Regions whose markets the silo keeps fresh from start-up; other regions load on first use.</summary>
    public List<string> Regions { get; set; } = ["us-east-1"];

    public TimeSpan PriceRefresh { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan AdvisorRefresh { get; set; } = TimeSpan.FromHours(6);

    /// <summary>How soon a market whose first load failed tries again (until prices and reference data have loaded once).</summary>
    public TimeSpan FirstLoadRetry { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Hourly prices kept per pool: the interruption model's price-history window.</summary>
    public int HistoryHours { get; set; } = 168;

    /// <summary>
    /// How long an interruption or rebalance recommendation flags its pool for every tenant (SVC-RISK-GLB). The seed's
    /// 30 minutes is the default; the data pack's preemption traces show risk still elevated well beyond that
    /// (see Optimization/README.md, risk TTL study), so operators may raise it.
    /// </summary>
    public TimeSpan RiskFlagTtl { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// A rebalance recommendation is an early warning, not a reclaim: it flags its pool for this share of
    /// <see cref="RiskFlagTtl"/> (AWS also sends it for instances that are never interrupted).
    /// </summary>
    public double RebalanceFlagWeight { get; set; } = 0.5;

    /// <summary>
    /// How many distinct tenants' uncorroborated (agent) reports flag a pool for every tenant. Below it, a claim flags
    /// the pool for its reporter only, unless AWS's own word or a price jump backs it. Default 2: one tenant alone,
    /// faulty or hostile, cannot move anyone else.
    /// </summary>
    public int DistinctTenantsToFlag { get; set; } = 2;

    /// <summary>
    /// A lone tenant's claim is backed by a price jump when the pool's current price is at least this much above the
    /// median of its previous <see cref="PriceJumpLookbackHours"/> hourly prices (0.25: 25 % up). Prices since 2017 move
    /// slowly, so a jump of that size is the market itself saying capacity is short.
    /// </summary>
    public double PriceJumpRatio { get; set; } = 0.25;

    public int PriceJumpLookbackHours { get; set; } = 24;

    /// <summary>
    /// The per-tenant, per-region allowance of agent interruption reports within <see cref="AgentReportWindow"/>
    /// (default 30 per 10 minutes, well above a cluster's real notices; AWS's own events are not limited). Over it the
    /// agent API answers 429 rate_limited with Retry-After and the report flags nothing.
    /// </summary>
    public int AgentReportLimit { get; set; } = 30;

    public TimeSpan AgentReportWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// A Spot Advisor file (spot-advisor-data.json format) to read instead of the built-in buckets; relative to the
    /// content root. Null: the simulator's built-in catalog values.
    /// </summary>
    public string? SpotAdvisorFile { get; set; }
}

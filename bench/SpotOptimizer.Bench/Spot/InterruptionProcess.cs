namespace SpotOptimizer.Bench.Spot;

/// <summary>One capacity reclaim in a pool: each of a fleet's nodes there is interrupted with probability q.</summary>
internal readonly record struct PoolEvent(int Pool, double Time, int Serial);

/// <summary>
/// Where interruptions come from, defined without reference to any strategy or to our model. Per pool, reclaim
/// events arrive as a Poisson process (piecewise constant per hour) with rate
/// <c>λ = h(bucket) · hidden · jump · (1 + excitation) / q</c>, so that a node's hazard is <c>λ·q</c>:
/// <list type="bullet">
/// <item><c>h(bucket)</c>: the Spot Advisor bucket's monthly interruption share (middle of the range: 2.5 %, 7.5 %,
/// 12.5 %, 17.5 %, 30 %) as an hourly hazard, <c>−ln(1 − m) / 730</c>;</item>
/// <item><c>hidden</c>: a per-pool log-normal factor (σ = 0.5, mean 1) nobody sees: the advisor is regional, pools are not;</item>
/// <item><c>jump</c>: ×5 while the pool's price is ≥ 3 % above its minimum of the previous 24 h (capacity tightening);</item>
/// <item><c>excitation</c>: +1.2 per past event, decaying with a 3 h time constant: the shape of the preemption
/// traces' risk persistence (lift ≈ 2 right after, ≈ 1.4 after 2–4 h, ≈ 1 after 8–12 h).</item>
/// </list>
/// Events are drawn per seed for the whole window before any strategy runs: every strategy faces the same events.
/// </summary>
internal sealed class InterruptionProcess
{
    public const double NodeShare = 0.5;
    public const double JumpFactor = 5;
    public const double JumpThreshold = 0.03;
    public const double ExcitationPerEvent = 1.2;
    public const double ExcitationHours = 3;
    public const double HiddenSigma = 0.5;

    private static readonly double[] MonthlyShare = [0.025, 0.075, 0.125, 0.175, 0.30];

    private InterruptionProcess(PoolEvent[] events, int seed, ReclaimIntensity intensity)
    {
        Events = events;
        Seed = seed;
        Intensity = intensity;
    }

    /// <summary>Every event of the window, by time (hours since the grid's start).</summary>
    public PoolEvent[] Events { get; }

    public int Seed { get; }

    /// <summary>The process's state per pool and hour (tightness, rate): what AWS's warnings are derived from.</summary>
    public ReclaimIntensity Intensity { get; }

    /// <summary>The warnings AWS gives about this draw's reclaims (see <see cref="AwsWarnings"/>).</summary>
    public AwsWarnings Warnings(WarningModel model) =>
        AwsWarnings.Derive(Events.Select(e => new Reclaim(e.Pool, e.Time, e.Serial)).ToList(), Intensity, Seed, model);

    /// <summary>The node hazard per hour of a bucket (unknown: the worst).</summary>
    public static double BaseHazard(int? bucket) => -Math.Log(1 - MonthlyShare[Math.Clamp(bucket ?? 4, 0, 4)]) / 730;

    /// <summary>
    /// A node's hazard per hour in a pool from what anyone can see (bucket, price jump): the hidden factor at its
    /// mean (1) and no excitation. Summed over a fleet's node-hours it gives the interruptions the fleet's placement
    /// exposes it to, without the luck of the draw.
    /// </summary>
    public static double PublicHazard(BenchMarket market, int pool, int hour) =>
        BaseHazard(market.Pools[pool].Bucket) * (PriceJumped(market, pool, hour) ? JumpFactor : 1);

    public static bool PriceJumped(BenchMarket market, int pool, int hour)
    {
        var price = market.Price(pool, hour);
        if (double.IsNaN(price)) return false;
        var min = price;
        for (var h = Math.Max(0, hour - 24); h < hour; h++)
        {
            var p = market.Price(pool, h);
            if (!double.IsNaN(p) && p < min) min = p;
        }

        return price >= min * (1 + JumpThreshold);
    }

    public static InterruptionProcess Generate(BenchMarket market, int seed, int fromHour, int toHour)
    {
        var events = new List<PoolEvent>();
        var hours = toHour - fromHour;
        var tightness = new float[market.Pools.Length * hours];
        var baseRates = new double[market.Pools.Length];
        for (var pool = 0; pool < market.Pools.Length; pool++)
        {
            var random = new Random(Mix(seed, pool));
            var hidden = Math.Exp(HiddenSigma * Draws.Gaussian(random) - HiddenSigma * HiddenSigma / 2);
            var baseRate = BaseHazard(market.Pools[pool].Bucket) * hidden / NodeShare;
            baseRates[pool] = baseRate / hidden;
            var excitation = 0.0;
            var decay = Math.Exp(-1 / ExcitationHours);
            for (var hour = fromHour; hour < toHour; hour++)
            {
                excitation *= decay;
                if (double.IsNaN(market.Price(pool, hour)))
                {
                    tightness[(pool * hours) + hour - fromHour] = float.NaN;
                    continue;
                }

                var jump = PriceJumped(market, pool, hour) ? JumpFactor : 1;
                tightness[(pool * hours) + hour - fromHour] = (float)(hidden * jump * (1 + excitation));
                // The same expression as before the warnings read the state: the draws stay bit for bit the same.
                var rate = baseRate * jump * (1 + excitation);
                var count = Draws.Poisson(random, rate);
                for (var i = 0; i < count; i++) events.Add(new PoolEvent(pool, hour + random.NextDouble(), 0));
                excitation += ExcitationPerEvent * count;
            }
        }

        var ordered = events.OrderBy(e => e.Time).ThenBy(e => e.Pool).Select((e, i) => e with { Serial = i }).ToArray();
        return new InterruptionProcess(ordered, seed, new ReclaimIntensity(market.Pools.Length, fromHour, toHour, tightness, baseRates));
    }

    /// <summary>Whether the event interrupts a given node: the same answer for the same (seed, event, node serial).</summary>
    public bool Hits(PoolEvent e, long nodeSerial) => Draws.Unit(Draws.SplitMix(Draws.SplitMix((ulong)Seed * 0x9E3779B97F4A7C15UL ^ (ulong)e.Serial) ^ (ulong)nodeSerial)) < NodeShare;

    private static int Mix(int seed, int pool) => (int)(Draws.SplitMix(((ulong)(uint)seed << 32) | (uint)pool) & 0x7FFFFFFF);
}

using Microsoft.Extensions.Options;
using Orleans;
using SpotOptimizer.Grains.Interfaces.Market;

namespace SpotOptimizer.Grains.Market;

/// <summary>
/// The sliding window of one tenant's agent reports in one region. In memory only: a silo restart gives the tenant a
/// fresh window, which costs at most one more window's worth of claims, and claims alone never flag a pool for others.
/// </summary>
public sealed class ReportQuotaGrain(IOptions<MarketOptions> options, TimeProvider time) : Grain, IReportQuotaGrain
{
    private readonly Queue<DateTimeOffset> _accepted = new();
    private int _refused;

    public Task<ReportAllowance> Take()
    {
        var now = time.GetUtcNow();
        var window = options.Value.AgentReportWindow;
        while (_accepted.TryPeek(out var oldest) && oldest + window <= now) _accepted.Dequeue();
        if (_accepted.Count < options.Value.AgentReportLimit)
        {
            _accepted.Enqueue(now);
            _refused = 0;
            return Task.FromResult(new ReportAllowance(true, TimeSpan.Zero, false, 0));
        }

        _refused++;
        ProductMetrics.HiveReportsRefused.Add(1, new KeyValuePair<string, object?>("reason", "rate_limited"));
        var retryAfter = _accepted.Peek() + window - now;
        return Task.FromResult(new ReportAllowance(false, retryAfter, _refused == 1, _refused));
    }
}

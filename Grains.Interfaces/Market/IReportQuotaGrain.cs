using Orleans;
using Orleans.Concurrency;

namespace SpotOptimizer.Grains.Interfaces.Market;

/// <summary>
/// One tenant's allowance of agent interruption reports in one region, keyed <see cref="ReportQuotaKeys.For"/>: at most
/// <c>MarketOptions.AgentReportLimit</c> per <c>MarketOptions.AgentReportWindow</c> (sliding). AWS's own events and
/// notices are not limited: they are corroborated, and a real mass reclaim must reach the hive mind whole.
/// </summary>
public interface IReportQuotaGrain : IGrainWithStringKey
{
    /// <summary>Takes one report from the allowance, or refuses it (nothing taken) saying when the next one fits.</summary>
    Task<ReportAllowance> Take();
}

/// <param name="RetryAfter">When refused: how long until the oldest report in the window leaves it.</param>
/// <param name="FirstRefusal">The first refusal since the tenant was last within its limit (audited once, not per report).</param>
/// <param name="Refused">Reports refused since the tenant was last within its limit.</param>
[GenerateSerializer, Immutable]
public sealed record ReportAllowance(bool Allowed, TimeSpan RetryAfter, bool FirstRefusal, int Refused);

public static class ReportQuotaKeys
{
    public static string For(string organizationId, string region) => $"{organizationId}/{region}";
}

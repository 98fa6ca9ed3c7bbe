using SpotOptimizer.Agent.Inventory;

namespace SpotOptimizer.Agent.Usage;

/// <summary>
/// Every workload's <see cref="UsageWindow"/>, fed with each tick's samples, and the usage the reports carry. A pod's
/// sample is kept once per metrics-server timestamp (metrics-server scrapes every 15–60 s; a faster report interval
/// would otherwise count one scrape twice). The reported usage is recomputed every <c>refresh</c> only, so an
/// unchanged cluster's reports stay identical in between and the platform does not store a new inventory on every
/// tick; a workload that had no usage gets its first as soon as it has some. Thread-safe.
/// </summary>
public sealed class UsageHistory(TimeSpan window, TimeSpan refresh)
{
    public const string Source = "metrics-server";

    private readonly Lock _lock = new();
    private readonly Dictionary<(string Namespace, string Kind, string Name), UsageWindow> _workloads = [];
    private readonly Dictionary<(string Namespace, string Pod), DateTimeOffset> _lastSample = [];
    private Dictionary<(string Namespace, string Kind, string Name), ReportedUsage> _reported = [];
    private DateTimeOffset? _reportedAt;

    /// <param name="complete">The samples are all of the cluster's pods now: pods without one are gone and forgotten.</param>
    /// <returns>How many samples were new.</returns>
    public int Record(IEnumerable<PodSample> samples, bool complete = true)
    {
        lock (_lock)
        {
            var added = 0;
            var seen = new HashSet<(string, string)>();
            foreach (var sample in samples)
            {
                var pod = (sample.Namespace, sample.Pod);
                seen.Add(pod);
                if (_lastSample.TryGetValue(pod, out var last) && sample.At <= last) continue;
                _lastSample[pod] = sample.At;
                var key = (sample.Namespace, sample.Kind, sample.Workload);
                if (!_workloads.TryGetValue(key, out var usage)) _workloads[key] = usage = new UsageWindow(window);
                usage.Add(sample.At, sample.CpuMillicores, sample.MemoryMiB);
                added++;
            }

            if (complete)
            {
                foreach (var gone in _lastSample.Keys.Where(p => !seen.Contains(p)).ToList()) _lastSample.Remove(gone);
            }

            return added;
        }
    }

    /// <summary>The usage to report per workload (namespace, kind, name) at <paramref name="now"/>.</summary>
    public IReadOnlyDictionary<(string Namespace, string Kind, string Name), ReportedUsage> Reported(DateTimeOffset now)
    {
        lock (_lock)
        {
            var due = _reportedAt is not { } at || now - at >= refresh;
            var next = due ? [] : new Dictionary<(string, string, string), ReportedUsage>(_reported);
            foreach (var (key, usage) in _workloads.ToList())
            {
                if (!due && next.ContainsKey(key)) continue;
                if (usage.Summarize(now) is { } summary) next[key] = ToReported(summary);
                // Nothing in the window any more: the workload is gone (or metrics-server has been away that long).
                else if (usage.IsEmpty) _workloads.Remove(key);
            }

            if (due) _reportedAt = now;
            _reported = next;
            return next;
        }
    }

    /// <summary>The report's workloads with their usage (null where none is known).</summary>
    public InventoryReport Attach(InventoryReport report, DateTimeOffset now)
    {
        var usage = Reported(now);
        return report with { Workloads = [.. report.Workloads.Select(w => w with { Usage = usage.GetValueOrDefault((w.Namespace, w.Kind, w.Name)) })] };
    }

    /// <summary>Days to six decimals (a second is 0.0000116 d); at least the smallest positive value, which the platform requires.</summary>
    private static ReportedUsage ToReported(UsageSummary s) => new(
        Math.Max(0.000001, Math.Round(s.Covered.TotalDays, 6)), Source,
        s.CpuP50Millicores, s.CpuP95Millicores, s.CpuP99Millicores, s.MemoryP50MiB, s.MemoryP95MiB, s.MemoryP99MiB);
}

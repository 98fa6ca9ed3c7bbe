namespace SpotOptimizer.Optimization.Market;

/// <summary>
/// One interruption-frequency bucket of the Spot Advisor: the share of a pool's instances AWS interrupted over the
/// trailing month, as a range (<c>&lt;5%</c>, <c>5-10%</c>, … <c>&gt;20%</c>). <see cref="MaxPercent"/> is the feed's own
/// upper bound (5, 11, 16, 22, 100).
/// </summary>
public sealed record InterruptionRange(int Index, string Label, int MaxPercent);

/// <summary>Savings and interruption bucket of one instance type in one region and operating system.</summary>
public sealed record SpotAdvisorEntry(string Region, string OperatingSystem, string InstanceType, int SavingsPercent, int Bucket);

/// <summary>The advisor's own shape of a type (<c>instance_types</c>): cores and RAM as AWS lists them.</summary>
public sealed record AdvisorInstanceType(string Name, int Cores, double RamGiB, bool Emr);

/// <summary>A parsed AWS Spot Instance Advisor feed (<c>spot-advisor-data.json</c>). Values are per region, not per AZ.</summary>
public sealed class SpotAdvisorSnapshot
{
    public const string Linux = "Linux";
    public const string Windows = "Windows";

    private readonly Dictionary<(string Region, string Os, string Type), SpotAdvisorEntry> _entries;

    public SpotAdvisorSnapshot(
        IReadOnlyList<InterruptionRange> ranges,
        string globalRate,
        IReadOnlyList<AdvisorInstanceType> instanceTypes,
        IReadOnlyList<SpotAdvisorEntry> entries)
    {
        Ranges = ranges;
        GlobalRate = globalRate;
        InstanceTypes = instanceTypes;
        Entries = entries;
        _entries = new Dictionary<(string, string, string), SpotAdvisorEntry>(entries.Count);
        foreach (var entry in entries) _entries[(entry.Region, entry.OperatingSystem, entry.InstanceType)] = entry;
    }

    public IReadOnlyList<InterruptionRange> Ranges { get; }

    public string GlobalRate { get; }

    public IReadOnlyList<AdvisorInstanceType> InstanceTypes { get; }

    public IReadOnlyList<SpotAdvisorEntry> Entries { get; }

    public IEnumerable<string> Regions => Entries.Select(e => e.Region).Distinct(StringComparer.Ordinal);

    public SpotAdvisorEntry? Find(string region, string operatingSystem, string instanceType) =>
        _entries.GetValueOrDefault((region, operatingSystem, instanceType));

    /// <summary>Bucket index (0..4) per instance type of one region and OS: the input of the risk model and heuristic.</summary>
    public IReadOnlyDictionary<string, int> BucketsFor(string region, string operatingSystem = Linux) =>
        Entries.Where(e => e.Region == region && e.OperatingSystem == operatingSystem)
            .ToDictionary(e => e.InstanceType, e => e.Bucket, StringComparer.Ordinal);
}

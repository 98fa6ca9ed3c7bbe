using Orleans;
namespace SpotOptimizer.Grains.Interfaces.Clusters;

/// <summary>A partial change to a cluster's hibernation: null fields stay as they are.</summary>
[GenerateSerializer, Immutable]
public sealed record HibernationPatch(
    IReadOnlyList<int>? ScheduleMatrix = null, string? TimeZone = null, bool? Prewarm = null, int? OverrideMinutes = null);

[GenerateSerializer, Immutable]
public sealed record HibernationView(
    string ClusterId,
    IReadOnlyList<int>? ScheduleMatrix,
    string TimeZone,
    bool Prewarm,
    DateTimeOffset? OverrideUntil,
    string Power,
    IReadOnlyList<PowerTransition> RecentTransitions);

/// <summary>One sleep or wake of a cluster, at the reminder tick that decided it.</summary>
[GenerateSerializer, Immutable]
public sealed record PowerTransition(DateTimeOffset At, string Power, string Reason, bool DryRun, IReadOnlyList<NodegroupSize> Nodegroups);

[GenerateSerializer, Immutable]
public sealed record NodegroupSize(string Name, int MinSize, int MaxSize, int DesiredSize);

public static class ClusterPower
{
    public const string Awake = "awake";
    public const string Asleep = "asleep";
}

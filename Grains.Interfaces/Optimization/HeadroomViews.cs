using Orleans;

namespace SpotOptimizer.Grains.Interfaces.Optimization;

/// <summary>
/// The cluster's headroom as the job found it and what it launches to keep it (issue 14 item 7): spare capacity of the
/// schedulable nodes against what the policy requires, per resource, and the nodes bought for the deficit.
/// </summary>
/// <param name="Code">Null when nothing is missing or the launches cover it; <c>no_safe_pool</c> or <c>no_offer</c> when the deficit stays.</param>
/// <param name="MonthlyCost">What the launches cost per month (730 h): the price of the headroom.</param>
[GenerateSerializer, Immutable]
public sealed record HeadroomPlanView(
    long RequiredCpuMillicores,
    long RequiredMemoryMiB,
    long SpareCpuMillicores,
    long SpareMemoryMiB,
    long DeficitCpuMillicores,
    long DeficitMemoryMiB,
    IReadOnlyList<HeadroomLaunchView> Launches,
    double MonthlyCost,
    string? Code,
    string Detail);

/// <param name="Purchase">spot, or on_demand when no Spot pool was safe enough and the policy falls back.</param>
/// <param name="Outcome">pending, launched, dry_run or failed (<see cref="HeadroomOutcomes"/>).</param>
[GenerateSerializer, Immutable]
public sealed record HeadroomLaunchView(string InstanceType, string Zone, string Purchase, double PricePerHour, double Risk, string Outcome, string? NewInstanceId);

public static class HeadroomOutcomes
{
    public const string Pending = "pending";
    public const string Launched = "launched";
    public const string DryRun = "dry_run";
    public const string Failed = "failed";
}

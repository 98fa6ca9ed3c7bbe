namespace SpotOptimizer.Optimization.Savings;

/// <summary>One <c>node.replaced</c> ledger entry: the optimizer swapped <see cref="OldInstanceId"/> for <see cref="NewInstanceId"/> at <see cref="At"/>.</summary>
public sealed record ReplacementRecord(
    DateTimeOffset At, string OldInstanceId, string OldInstanceType, double OldPricePerHour, string NewInstanceId, string NewInstanceType, double NewPricePerHour,
    string Reason);

/// <summary>One <c>spot.interruption_reported</c> ledger entry.</summary>
public sealed record InterruptionRecord(DateTimeOffset At, string InstanceId);

/// <summary>
/// One <c>nodes.consolidated</c> ledger entry: MOD-PACK-01 removed <see cref="Removed"/> at <see cref="At"/> and, for a
/// replace-style action, launched one cheaper node.
/// </summary>
public sealed record ConsolidationRecord(
    DateTimeOffset At, IReadOnlyList<RemovedNode> Removed, string? LaunchedInstanceId = null, string? LaunchedInstanceType = null, double LaunchedPricePerHour = 0);

public sealed record RemovedNode(string InstanceId, double PricePerHour);

/// <param name="Gross">Σ (old − new $/h) × hours each new node ran, plus the consolidations' share.</param>
/// <param name="ConsolidationGross">Σ over consolidations of (removed nodes' $/h − launched node's $/h) × hours since.</param>
/// <param name="InterruptionCost">Σ over interrupted nodes we placed: the type's On-Demand price × the overlap hours.</param>
/// <param name="HiveMindMoves">Replacements with reason <c>pool_flagged</c>: nodes moved out of pools the hive mind flagged.</param>
public sealed record SavingsRealised(double Gross, double InterruptionCost, double HoursRun, int Replacements, int Interruptions, int HiveMindMoves,
    double ConsolidationGross = 0, int Consolidations = 0)
{
    public double Net => Gross - InterruptionCost;
}

/// <summary>
/// Net savings the optimizer realised, priced on the hours each new node actually ran: from its replacement until
/// now, until it was itself replaced, or until it was interrupted, whichever came first. Each interruption of a node
/// we placed costs <paramref name="overlapHours"/> of its type's On-Demand price (the replacement capacity bought
/// while the two-minute notice runs and pods reschedule; the caller documents the figure it passes). A consolidation
/// saves the removed nodes' price less the launched node's from its time until now: the removed capacity would
/// otherwise still run (a later change of the workload is not modelled); a replaced node that a consolidation removed
/// stops counting as a replacement then. Pure.
/// </summary>
public static class RealisedSavings
{
    /// <summary>The default overlap: one hour of On-Demand capacity per interruption, a deliberately generous charge.</summary>
    public const double DefaultOverlapHours = 1;

    public static SavingsRealised Compute(
        IReadOnlyList<ReplacementRecord> replacements, IReadOnlyList<InterruptionRecord> interruptions, IReadOnlyDictionary<string, double> onDemandPrices,
        DateTimeOffset now, double overlapHours = DefaultOverlapHours, IReadOnlyList<ConsolidationRecord>? consolidations = null)
    {
        consolidations ??= [];
        var ordered = replacements.OrderBy(r => r.At).ToList();
        double gross = 0, hours = 0, interruptionCost = 0;
        var interrupted = 0;
        foreach (var replacement in ordered)
        {
            var end = now;
            if (ordered.FirstOrDefault(r => r.OldInstanceId == replacement.NewInstanceId && r.At >= replacement.At) is { } next && next.At < end) end = next.At;
            if (consolidations.Where(c => c.At >= replacement.At && c.Removed.Any(n => n.InstanceId == replacement.NewInstanceId)).OrderBy(c => c.At).FirstOrDefault()
                is { } removal && removal.At < end) end = removal.At;
            var interruption = interruptions.Where(i => i.InstanceId == replacement.NewInstanceId && i.At >= replacement.At).OrderBy(i => i.At).FirstOrDefault();
            if (interruption is not null)
            {
                if (interruption.At < end) end = interruption.At;
                interrupted++;
                interruptionCost += onDemandPrices.GetValueOrDefault(replacement.NewInstanceType, replacement.OldPricePerHour) * overlapHours;
            }

            var ran = Math.Max(0, (end - replacement.At).TotalHours);
            hours += ran;
            gross += (replacement.OldPricePerHour - replacement.NewPricePerHour) * ran;
        }

        double consolidated = 0;
        foreach (var consolidation in consolidations)
        {
            var since = Math.Max(0, (now - consolidation.At).TotalHours);
            consolidated += (consolidation.Removed.Sum(n => n.PricePerHour) - consolidation.LaunchedPricePerHour) * since;
            // The node a consolidation launched is ours too: its interruption costs the same overlap.
            if (consolidation.LaunchedInstanceId is { } launched && interruptions.Any(i => i.InstanceId == launched && i.At >= consolidation.At))
            {
                interrupted++;
                interruptionCost += onDemandPrices.GetValueOrDefault(consolidation.LaunchedInstanceType ?? "", consolidation.LaunchedPricePerHour) * overlapHours;
            }
        }

        return new SavingsRealised(gross + consolidated, interruptionCost, hours, ordered.Count, interrupted,
            ordered.Count(r => r.Reason == Cluster.ReplacementReasons.PoolFlagged), consolidated, consolidations.Count);
    }
}

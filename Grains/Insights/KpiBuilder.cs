using System.Globalization;
using SpotOptimizer.Grains.Interfaces.Insights;
using SpotOptimizer.Grains.Interfaces.Market;
using SpotOptimizer.Optimization.Commitments;
using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Savings;
using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Grains.Insights;

/// <summary>One cluster's KPIs from the pure formulas in <c>Optimization/Savings</c>, each figure with the sentence saying how.</summary>
public static class KpiBuilder
{
    public static ClusterKpi Build(
        ClusterFleet fleet, MarketQuotes? market, CoverageResult coverage, IReadOnlyList<CommitmentRecord> commitments,
        LedgerFacts.LedgerSavingsFacts ledger, DateTimeOffset now, int computations)
    {
        var spot = market?.Pools.ToDictionary(p => new SpotPoolId(p.AvailabilityZone, p.InstanceType), p => p.SpotPrice) ?? [];
        var onDemand = market?.OnDemand.ToDictionary(o => o.InstanceType, o => o.PricePerHour, StringComparer.Ordinal) ?? [];
        var priced = FleetPricing.Price(fleet.Nodes, spot, onDemand, coverage);
        var unpriced = priced.Count(p => p.Source == PriceSource.Unpriced);
        var whence = fleet.Source == OrganizationFleet.AgentInventory ? "the agent's latest inventory" : "discovery's last scan (no agent inventory yet)";
        var nodesSaid = $"{priced.Count - unpriced} priced node(s) of {whence}";
        var unpricedSaid = unpriced > 0 ? $"; {unpriced} node(s) whose pool and type the {fleet.Region} market does not price are left out" : "";
        var pricesSaid = market is null ? "no market data yet" : $"{fleet.Region} market prices of {market.At:u}";

        var savings = RealisedSavings.Compute(ledger.Replacements, ledger.Interruptions, onDemand, now, consolidations: ledger.Consolidations);
        var unreadableSaid = ledger.Unreadable > 0 ? $" {ledger.Unreadable} ledger entr(ies) without prices were skipped." : "";
        var savingsBasis =
            $"Σ over the cluster's {savings.Replacements} node.replaced ledger entries of (old − new $/h) × the hours the new node ran, until now, its own " +
            $"replacement, its removal by a consolidation or its interruption ({savings.HoursRun.ToString("0.#", CultureInfo.InvariantCulture)} h in all); plus, over its " +
            $"{savings.Consolidations} nodes.consolidated entries, (removed nodes' $/h − the launched node's) × the hours since (the removed capacity would " +
            $"otherwise still run; ${savings.ConsolidationGross.ToString("0.##", CultureInfo.InvariantCulture)} of the total); less {savings.Interruptions} interruption(s) " +
            $"of nodes we placed × {RealisedSavings.DefaultOverlapHours.ToString(CultureInfo.InvariantCulture)} h of the type's On-Demand price (the overlap while " +
            $"the notice runs and pods reschedule).{unreadableSaid}";
        var composition = FleetComposition.Of(priced);
        var use = coverage.Commitments.Select(u => new CommitmentUseView(u.CommitmentId, KindName(u.Kind), u.Active, Round(u.Used), u.Committed, Round(u.Utilisation), u.Unit)).ToList();
        // Commitments the coverage never saw (none declared, or no On-Demand node to price) still show, unused.
        use.AddRange(commitments.Where(c => use.All(u => u.CommitmentId != c.Id)).Select(c => new CommitmentUseView(c.Id, c.Kind, c.StartsAt <= now && now < c.EndsAt, 0,
            c.Kind == CommitmentKinds.ReservedInstance ? c.InstanceCount : c.HourlyCommitment, 0, c.Kind == CommitmentKinds.ReservedInstance ? "instances" : "usd_per_hour")));

        return new ClusterKpi(
            fleet.ClusterId, fleet.Region, now, market?.At, fleet.Source, priced.Count, unpriced,
            new KpiFigure(Round(FleetPricing.MonthlySpend(priced)), "usd_per_month",
                $"Σ hourly price × 730 over {nodesSaid}: Spot nodes at their pool's Spot price, On-Demand nodes at list price or at their commitment's " +
                $"effective rate, from the {pricesSaid}{unpricedSaid}."),
            new KpiFigure(Round(FleetPricing.OnDemandEquivalent(priced)), "usd_per_month",
                $"The same {priced.Count - unpriced} node(s) all at their type's On-Demand list price × 730, from the {pricesSaid}."),
            new KpiFigure(Round(savings.Net), "usd", savingsBasis),
            new SavingsRealisedView(Round(savings.Gross), Round(savings.InterruptionCost), Round(savings.Net), Round(savings.HoursRun), savings.Replacements,
                savings.Interruptions, savingsBasis, Round(savings.ConsolidationGross), savings.Consolidations),
            new CompositionView(Counts(composition.Total), [.. composition.ByFamily.Select(Group)], [.. composition.ByZone.Select(Group)],
                $"{priced.Count} node(s) of {whence}: Spot; On-Demand at list price; On-Demand a Reserved Instance or Savings Plan pays for, wholly or in part."),
            use,
            "Coverage in AWS's order (zonal RIs, regional RIs, EC2 Instance Savings Plans, Compute Savings Plans, highest discount first) over the On-Demand " +
            "nodes of all the organization's managed clusters; used / committed in instances (RI) or $/h (Savings Plans). Usage outside managed clusters is not seen.",
            HeadroomKpi.Of(fleet, market),
            new KpiFigure(savings.HiveMindMoves, "nodes",
                "node.replaced entries with reason pool_flagged: Spot nodes moved out of a pool the hive mind flagged after an interruption elsewhere, before it reached them."),
            computations);
    }

    private static CompositionCountsView Counts(CompositionCounts c) => new(c.Spot, c.OnDemand, c.Covered);

    private static CompositionGroupView Group(CompositionGroup g) => new(g.Key, Counts(g.Counts));

    public static string KindName(CommitmentKind kind) => kind switch
    {
        CommitmentKind.ReservedInstance => CommitmentKinds.ReservedInstance,
        CommitmentKind.Ec2InstanceSavingsPlan => CommitmentKinds.Ec2InstanceSavingsPlan,
        _ => CommitmentKinds.ComputeSavingsPlan,
    };

    private static double Round(double value) => Math.Round(value, 6);
}

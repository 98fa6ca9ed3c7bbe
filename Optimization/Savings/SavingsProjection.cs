using SpotOptimizer.Optimization.Commitments;
using SpotOptimizer.Optimization.Selection;

namespace SpotOptimizer.Optimization.Savings;

/// <summary>
/// The next 12 calendar months (UTC, from the first of the month after <see cref="ProjectionRequest.Now"/>), each
/// priced two ways: <b>unoptimized</b>, the cluster's nodes as they are (Spot at today's pool price, On-Demand at
/// list or at the rate of a commitment active then) and <b>optimized</b>, the fleet <see cref="ProjectionSimulation"/>
/// leaves. Commitments' start and end dates split a month into segments, each weighted by its share of the month, so a
/// commitment ending in month 5 raises months 6-12 unoptimized (its nodes go back to list price) and frees its nodes
/// for Spot in the optimized series. Today's prices are held flat. The optimized fleet packs the pods at their
/// right-sized requests (<see cref="ProjectionResizing"/>); what that contributes is the first month's optimized amount
/// simulated without right-sizing minus with it. Pure.
/// </summary>
public static class SavingsProjection
{
    public const int Months = 12;

    public static Projection Project(ProjectionRequest asReported)
    {
        var (sizedPods, rightSizing) = ProjectionResizing.Apply(asReported.Pods, asReported.RightSizing);
        var request = asReported with { Pods = sizedPods };
        var first = new DateTimeOffset(request.Now.Year, request.Now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1);
        var spot = request.Market.Pools.ToDictionary(p => p.Pool, p => p.SpotPrice);
        var onDemand = request.Market.OnDemand.ToDictionary(o => o.Type.Name, o => o.PricePerHour, StringComparer.Ordinal);
        var fleet = request.Nodes.Select(n => n.Node).ToList();
        var simulations = new Dictionary<string, ProjectionSimulation.Result>(StringComparer.Ordinal);
        SimulationOutcome? firstPlan = null;
        double? firstOptimized = null;
        IReadOnlySet<string>? firstCovered = null;
        Func<FleetNode, double>? firstPrice = null;

        (double Unoptimized, double Optimized) HourlyAt(DateTimeOffset at)
        {
            var coverage = CommitmentCoverage.Compute(request.OrganizationUsage, request.Commitments, at);
            var priced = FleetPricing.Price(fleet, spot, onDemand, coverage).ToDictionary(p => p.Node.InstanceId, StringComparer.Ordinal);
            var covered = fleet.Where(n => n.Purchase == PurchaseOption.OnDemand && coverage.For(n.InstanceId) is { Covered: true }).Select(n => n.InstanceId).ToHashSet(StringComparer.Ordinal);
            var key = string.Join(',', covered.Order(StringComparer.Ordinal));
            if (!simulations.TryGetValue(key, out var simulation))
            {
                simulations[key] = simulation = ProjectionSimulation.Run(request, covered, n => priced[n.InstanceId].PricePerHour);
            }

            var unoptimized = priced.Values.Sum(p => p.PricePerHour);
            var optimized = Optimized(simulation);
            if (firstPlan is null)
            {
                (firstPlan, firstOptimized, firstCovered, firstPrice) = (simulation.Outcome, optimized, covered, n => priced[n.InstanceId].PricePerHour);
            }

            return (unoptimized, optimized);

            double Optimized(ProjectionSimulation.Result result) =>
                priced.Values.Where(p => result.Kept.Contains(p.Node.InstanceId)).Sum(p => p.PricePerHour) + result.MovedHourlyCost;
        }

        var months = new List<ProjectedMonth>();
        for (var m = 0; m < Months; m++)
        {
            var start = first.AddMonths(m);
            var end = start.AddMonths(1);
            var cuts = request.Commitments.SelectMany(c => new[] { c.StartsAt, c.EndsAt }).Where(t => t > start && t < end)
                .Prepend(start).Append(end).Distinct().Order().ToList();
            double unoptimized = 0, optimized = 0;
            for (var i = 0; i < cuts.Count - 1; i++)
            {
                var weight = (cuts[i + 1] - cuts[i]) / (end - start);
                var (u, o) = HourlyAt(cuts[i]);
                unoptimized += u * FleetPricing.HoursPerMonth * weight;
                optimized += o * FleetPricing.HoursPerMonth * weight;
            }

            months.Add(new ProjectedMonth(start, Math.Round(unoptimized, 2), Math.Round(optimized, 2)));
        }

        if (rightSizing.PodsResized > 0)
        {
            // The same first state simulated on the pods as reported: the difference is what right-sizing buys (or costs).
            var unsized = ProjectionSimulation.Run(asReported, firstCovered!, firstPrice!);
            var kept = request.Nodes.Where(n => unsized.Kept.Contains(n.Node.InstanceId)).Sum(n => firstPrice!(n.Node));
            // Each amount rounded to the cent as the series shows it, so the saving is exactly the difference a reader can check.
            var (without, with) = (Math.Round((kept + unsized.MovedHourlyCost) * FleetPricing.HoursPerMonth, 2), Math.Round(firstOptimized!.Value * FleetPricing.HoursPerMonth, 2));
            rightSizing = rightSizing with { MonthlySaving = Math.Round(without - with, 2) };
        }

        return new Projection(months, firstPlan!, rightSizing, Assumptions(request, rightSizing));
    }

    private static IReadOnlyList<string> Assumptions(ProjectionRequest request, RightSizingOutcome rightSizing) =>
    [
        "Spot and On-Demand prices stay at today's for 12 months; each month is 730 hours.",
        $"{request.MinOnDemandNodes} On-Demand node(s) are kept as the cluster's stable base, as CORE-DECIDE does; nodes a commitment pays for and nodes marked do-not-disrupt stay.",
        $"Packing honours the binpack aggressiveness of {request.BinpackAggressiveness} % and every pod's scheduling rules; Spot interruption risk is not priced.",
        rightSizing.PodsResized == 0
            ? "No right-sizing: no workload is over- or under-provisioned by MOD-SIZE-01's rules (or none has usage data); pods keep their requests."
            : $"Right-sizing: {rightSizing.PodsResized} pod(s) of {rightSizing.WorkloadsDecreased} over-provisioned and {rightSizing.WorkloadsIncreased} " +
              "under-provisioned workload(s) packed at MOD-SIZE-01's recommended requests, increases included; pods on kept nodes are not moved, so their " +
              "smaller requests free room there but no node.",
        request.Headroom is not { } h || h == Packing.Headroom.None
            ? "No headroom is kept in the packed fleet (none configured)."
            : $"The packed fleet keeps the cluster's headroom: per resource the larger of {h.CpuMillicores} m CPU / {h.MemoryMiB} MiB and " +
              $"{h.ShareOfRequests:0.###} × the packed pods' requests, as spare capacity on extra nodes if needed.",
        "Commitments are applied at each segment of a month in AWS's order over the organization's On-Demand nodes; unused commitment dollars are not added.",
    ];
}

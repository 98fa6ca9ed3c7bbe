namespace SpotOptimizer.Optimization.Commitments;

/// <summary>
/// Which On-Demand nodes the customer's commitments pay for, in AWS's billing order: zonal Reserved Instances, then
/// regional ones, then EC2 Instance Savings Plans, then Compute Savings Plans. A Reserved Instance pays for whole
/// nodes of its type (and zone), one per instance it reserves (no size flexibility: a declared RI is taken literally).
/// A Savings Plan spends its $/h commitment at its discounted rate on what is still uncovered, so the last node it
/// reaches may be covered in part; among Savings Plans of one kind the highest discount applies first, as AWS applies
/// the plan that saves most first. Ties and nodes go in id order, so the answer is a function of the input. Pure.
/// </summary>
public static class CommitmentCoverage
{
    /// <summary>Shares this close to a whole are whole (a Savings Plan's division leaves rounding dust).</summary>
    private const double Epsilon = 1e-9;

    public static CoverageResult Compute(IReadOnlyList<OnDemandUsage> usage, IReadOnlyList<Commitment> commitments, DateTimeOffset now)
    {
        var nodes = usage.OrderBy(u => u.InstanceId, StringComparer.Ordinal).ToList();
        var pieces = nodes.ToDictionary(n => n.InstanceId, _ => new List<CoveragePiece>(), StringComparer.Ordinal);
        var used = commitments.ToDictionary(c => c.Id, _ => 0.0, StringComparer.Ordinal);
        double Uncovered(OnDemandUsage node) => 1 - pieces[node.InstanceId].Sum(p => p.Share);

        foreach (var commitment in InBillingOrder(commitments.Where(c => c.ActiveAt(now))))
        {
            if (commitment.Kind == CommitmentKind.ReservedInstance)
            {
                var matching = nodes.Where(n => n.InstanceType == commitment.InstanceType && n.Region == commitment.Region
                    && (commitment.Zone is null || n.Zone == commitment.Zone) && Uncovered(n) > Epsilon);
                foreach (var node in matching.Take(commitment.Count))
                {
                    pieces[node.InstanceId].Add(new CoveragePiece(commitment.Id, commitment.Kind, 1, commitment.RateFor(node.OnDemandPricePerHour)));
                    used[commitment.Id] += 1;
                }

                continue;
            }

            var budget = commitment.HourlyCommitment;
            foreach (var node in nodes.Where(n => Eligible(commitment, n)))
            {
                var uncovered = Uncovered(node);
                if (budget <= Epsilon) break;
                if (uncovered <= Epsilon) continue;
                var rate = commitment.RateFor(node.OnDemandPricePerHour);
                var share = rate <= 0 ? uncovered : Math.Min(uncovered, budget / rate);
                if (uncovered - share < Epsilon) share = uncovered;
                var cost = Math.Min(budget, share * rate);
                pieces[node.InstanceId].Add(new CoveragePiece(commitment.Id, commitment.Kind, share, cost));
                budget -= cost;
                used[commitment.Id] += cost;
            }
        }

        var coverage = nodes.Select(n =>
        {
            var list = pieces[n.InstanceId];
            var share = Math.Min(1, list.Sum(p => p.Share));
            return new NodeCoverage(n.InstanceId, n.OnDemandPricePerHour, share, list.Sum(p => p.CostPerHour) + ((1 - share) * n.OnDemandPricePerHour), list);
        }).ToList();
        var utilisation = commitments.OrderBy(c => c.Id, StringComparer.Ordinal)
            .Select(c => new CommitmentUtilisation(c.Id, c.Kind, c.ActiveAt(now), used[c.Id], c.Committed)).ToList();
        return new CoverageResult(coverage, utilisation);
    }

    /// <summary>Zonal RIs, regional RIs, EC2 Instance SPs, Compute SPs; within a kind the highest discount first, then by id.</summary>
    private static IEnumerable<Commitment> InBillingOrder(IEnumerable<Commitment> active) =>
        active.OrderBy(c => c.Kind switch
            {
                CommitmentKind.ReservedInstance when c.Zone is not null => 0,
                CommitmentKind.ReservedInstance => 1,
                CommitmentKind.Ec2InstanceSavingsPlan => 2,
                _ => 3,
            })
            .ThenByDescending(c => c.DiscountPercent ?? 0)
            .ThenBy(c => c.Id, StringComparer.Ordinal);

    private static bool Eligible(Commitment plan, OnDemandUsage node) =>
        plan.Kind == CommitmentKind.ComputeSavingsPlan || (node.Family == plan.Family && node.Region == plan.Region);
}

namespace SpotOptimizer.Optimization.Commitments;

/// <summary>The three kinds of capacity commitment AWS sells for EC2, in the order its billing applies them.</summary>
public enum CommitmentKind
{
    /// <summary>A Reserved Instance: one instance type, in a region or pinned to one zone.</summary>
    ReservedInstance = 1,

    /// <summary>An EC2 Instance Savings Plan: a $/h commitment on one family in one region.</summary>
    Ec2InstanceSavingsPlan = 2,

    /// <summary>A Compute Savings Plan: a $/h commitment on any EC2 usage.</summary>
    ComputeSavingsPlan = 3,
}

/// <summary>
/// A commitment the customer declared. A Reserved Instance names <see cref="InstanceType"/>, <see cref="Region"/>,
/// optionally <see cref="Zone"/> (a zonal RI), <see cref="Count"/> and either its effective <see cref="HourlyRate"/> or
/// its <see cref="DiscountPercent"/> off On-Demand. A Savings Plan names its <see cref="HourlyCommitment"/> ($/h spent
/// at the discounted rate) and <see cref="DiscountPercent"/>; an EC2 Instance Savings Plan also its
/// <see cref="Family"/> and <see cref="Region"/>. Active from <see cref="StartsAt"/> (inclusive) to <see cref="EndsAt"/>.
/// </summary>
public sealed record Commitment(
    string Id,
    CommitmentKind Kind,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string? InstanceType = null,
    string? Family = null,
    string? Region = null,
    string? Zone = null,
    int Count = 0,
    double? HourlyRate = null,
    double? DiscountPercent = null,
    double HourlyCommitment = 0)
{
    public bool ActiveAt(DateTimeOffset at) => StartsAt <= at && at < EndsAt;

    /// <summary>What one On-Demand hour of <paramref name="onDemandPrice"/> costs under this commitment.</summary>
    public double RateFor(double onDemandPrice) =>
        Kind == CommitmentKind.ReservedInstance && HourlyRate is { } rate ? rate : onDemandPrice * (1 - (DiscountPercent ?? 0) / 100);

    /// <summary>How much of it there is: instances for a Reserved Instance, $/h for a Savings Plan.</summary>
    public double Committed => Kind == CommitmentKind.ReservedInstance ? Count : HourlyCommitment;
}

/// <summary>An On-Demand node the commitments may pay for, with its On-Demand list price.</summary>
public sealed record OnDemandUsage(string InstanceId, string InstanceType, string Region, string Zone, double OnDemandPricePerHour)
{
    public string Family => Market.InstanceTypeInfo.FamilyOf(InstanceType);
}

/// <summary>One commitment's part of a node: the share of the node's hour it pays for.</summary>
public sealed record CoveragePiece(string CommitmentId, CommitmentKind Kind, double Share, double CostPerHour);

/// <summary>
/// A node's coverage: <see cref="CoveredShare"/> (0-1) of its hour is paid by commitments (<see cref="Pieces"/>, in
/// the order they applied); the rest at On-Demand. <see cref="CommitmentId"/> is the one paying the largest share.
/// </summary>
public sealed record NodeCoverage(string InstanceId, double OnDemandPricePerHour, double CoveredShare, double EffectiveHourlyPrice, IReadOnlyList<CoveragePiece> Pieces)
{
    public string? CommitmentId => Pieces.Count == 0 ? null : Pieces.MaxBy(p => p.Share)!.CommitmentId;

    public bool Covered => CoveredShare > 0;
}

/// <summary>
/// How much of a commitment the fleet uses: <see cref="Used"/> over <see cref="Committed"/>, in instances for a
/// Reserved Instance and $/h for a Savings Plan. A commitment outside its term is not <see cref="Active"/> (0 used).
/// </summary>
public sealed record CommitmentUtilisation(string CommitmentId, CommitmentKind Kind, bool Active, double Used, double Committed)
{
    public double Utilisation => Committed > 0 ? Used / Committed : 0;

    public string Unit => Kind == CommitmentKind.ReservedInstance ? "instances" : "usd_per_hour";
}

public sealed record CoverageResult(IReadOnlyList<NodeCoverage> Nodes, IReadOnlyList<CommitmentUtilisation> Commitments)
{
    public static CoverageResult None { get; } = new([], []);

    /// <summary>Nodes a commitment pays for, wholly or in part.</summary>
    public IReadOnlySet<string> CoveredInstanceIds => Nodes.Where(n => n.Covered).Select(n => n.InstanceId).ToHashSet(StringComparer.Ordinal);

    public NodeCoverage? For(string instanceId) => Nodes.FirstOrDefault(n => n.InstanceId == instanceId);
}

namespace SpotOptimizer.Optimization.Market;

/// <summary>A Spot capacity pool, (Availability Zone, instance type): the unit of price, interruption and risk flag.</summary>
public readonly record struct SpotPoolId(string AvailabilityZone, string InstanceType) : IComparable<SpotPoolId>
{
    public int CompareTo(SpotPoolId other)
    {
        var byZone = string.CompareOrdinal(AvailabilityZone, other.AvailabilityZone);
        return byZone != 0 ? byZone : string.CompareOrdinal(InstanceType, other.InstanceType);
    }

    public override string ToString() => $"{AvailabilityZone}/{InstanceType}";

    public static bool operator <(SpotPoolId left, SpotPoolId right) => left.CompareTo(right) < 0;

    public static bool operator <=(SpotPoolId left, SpotPoolId right) => left.CompareTo(right) <= 0;

    public static bool operator >(SpotPoolId left, SpotPoolId right) => left.CompareTo(right) > 0;

    public static bool operator >=(SpotPoolId left, SpotPoolId right) => left.CompareTo(right) >= 0;
}

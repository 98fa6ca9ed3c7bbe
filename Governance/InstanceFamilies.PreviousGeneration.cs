namespace SpotOptimizer.Governance;

public static partial class InstanceFamilies
{
    /// <summary>
    /// Families AWS still runs and real node templates name, but that the generated table's source (current instance
    /// data) no longer lists: accepted so that a customer's existing template validates. From the EC2 user guide's
    /// "Previous generation instances" and "Accelerated computing" pages (vCPU of the smallest and largest size).
    /// </summary>
    private static readonly Dictionary<string, InstanceFamily> PreviousGeneration = new(StringComparer.Ordinal)
    {
        ["p2"] = new("p2", "p", Architecture.X64, "k80", 4, 64),
        ["p3"] = new("p3", "p", Architecture.X64, "v100", 8, 64),
        ["g3"] = new("g3", "g", Architecture.X64, "m60", 16, 64),
        ["g3s"] = new("g3s", "g", Architecture.X64, "m60", 4, 4),
        ["dl1"] = new("dl1", "dl", Architecture.X64, "gaudi", 96, 96),
        // FPGAs, not GPUs: nothing to warn a general workload about beyond the price.
        ["f1"] = new("f1", "f", Architecture.X64, null, 8, 64),
    };
}

namespace SpotOptimizer.Cloud.Simulation;

/// <summary>
/// The platform's own long-term AWS identity as the simulator's STS knows it (configuration section <c>Simulator:Aws</c>).
/// On AWS these are the SaaS account's credentials that call <c>sts:AssumeRole</c>; here only AssumeRole and
/// GetCallerIdentity accept them, every other call needs a session the simulator's STS issued. The defaults are
/// public demo values, not secrets: the simulated world holds nothing worth protecting.
/// </summary>
public sealed class SimulatedAwsOptions
{
    public const string SectionName = "Simulator:Aws";

    /// <summary>Below the simulator's prefix: the region's AmazonEC2 offer file of the Price List Bulk API, in its format.</summary>
    public const string PriceListPath = "/pricing/offers/v1.0/aws/AmazonEC2/current/{region}/index.json";

    /// <summary>Below the simulator's prefix: the Spot Advisor's public file, in its format.</summary>
    public const string AdvisorPath = "/spot-advisor/spot-advisor-data.json";

    public string AccessKeyId { get; set; } = "AKIASPOTOPTIMIZERSIM";

    public string SecretAccessKey { get; set; } = "simulated/SpotOptimizer/platform/secret/key00";

    /// <summary>The platform's account, as GetCallerIdentity reports it and AccessDenied messages name it.</summary>
    public string AccountId { get; set; } = "999999999999";

    public string UserName { get; set; } = "spotoptimizer-platform";
}

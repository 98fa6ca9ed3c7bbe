namespace SpotOptimizer.SimulatedAws;

/// <summary>
/// The platform's own long-term AWS identity as the simulator's STS knows it (configuration section <c>Simulator:Aws</c>).
/// On AWS these are the SaaS account's credentials that call <c>sts:AssumeRole</c>; here only AssumeRole and
/// GetCallerIdentity accept them, every other call needs a session the simulator's STS issued. The defaults are
/// public demo values, not secrets: the simulated world holds nothing worth protecting.
/// </summary>
public sealed class SimulatedAwsOptions
{
    public const string SectionName = "Simulator:Aws";

    public string AccessKeyId { get; set; } = "AKIASPOTOPTIMIZERSIM";

    public string SecretAccessKey { get; set; } = "simulated/SpotOptimizer/platform/secret/key00";

    /// <summary>The platform's account, as GetCallerIdentity reports it and AccessDenied messages name it.</summary>
    public string AccountId { get; set; } = "999999999999";

    public string UserName { get; set; } = "spotoptimizer-platform";
}

namespace SpotOptimizer.Grains.Accounts;

/// <summary>Where and how often accounts are scanned.</summary>
public sealed class AccountDiscoveryOptions
{
    public List<string> Regions { get; set; } = ["us-east-1"];

    public TimeSpan Period { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Shown in the customer's CloudTrail for every call we make.</summary>
    public string SessionName { get; set; } = "spotoptimizer";
}

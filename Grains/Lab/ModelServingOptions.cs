namespace SpotOptimizer.Grains.Lab;

/// <summary>Section <c>Lab:Serving</c>: how each silo follows the production model.</summary>
public sealed class ModelServingOptions
{
    public const string Section = "Lab:Serving";

    /// <summary>How often each silo reads the production pointer: a graduation reaches every silo within about this plus the load time.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a silo waits before trying again a production model it could not load (it keeps serving the previous one meanwhile).</summary>
    public TimeSpan RetryFailedAfter { get; set; } = TimeSpan.FromSeconds(30);
}

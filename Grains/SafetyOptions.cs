namespace SpotOptimizer.Grains;

/// <summary>Section <c>Safety</c>.</summary>
public sealed class SafetyOptions
{
    /// <summary>SAFE_MODE: every cloud action that would change something is sent as a dry run and only recorded.</summary>
    public bool SafeMode { get; set; }

    /// <summary>How often each silo reads the super admins' runtime switch (<c>PATCH /api/admin/safe-mode</c>).</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(2);
}

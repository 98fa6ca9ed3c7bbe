namespace SpotOptimizer.Grains.Interfaces.Lab;

/// <summary>The Lab's experiment settings (configuration section <c>Lab</c>): the grains run by them, the API validates against them.</summary>
public sealed class LabOptions
{
    /// <summary>How often an A/B test's arms observe, decide and accrue (each tick is one sample of the significance test).</summary>
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest an A/B test may run.</summary>
    public TimeSpan MaxDuration { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Points an experiment keeps (the oldest go first): a 14-day test at one tick a minute with two arms stays bounded.</summary>
    public int MaxSeriesPoints { get; set; } = 5_000;

    /// <summary>Significance level of the winner's test.</summary>
    public double Alpha { get; set; } = 0.05;

    /// <summary>Ticks each arm needs before a winner may be declared.</summary>
    public int MinSamples { get; set; } = 10;
}

namespace SpotOptimizer.Cloud.Simulation;

public sealed class SimulatedCloudOptions
{
    /// <summary>How many recent calls <see cref="SimulatedCloud.Calls"/> keeps.</summary>
    public int CallLogCapacity { get; set; } = 10_000;

    /// <summary>How long a launched instance stays pending before it runs (the seed's "wait for Ready").</summary>
    public TimeSpan BootTime { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>How long a stopped instance is stopping before it is stopped.</summary>
    public TimeSpan StopTime { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long a terminated instance is shutting-down before it is terminated.</summary>
    public TimeSpan ShutdownTime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long DescribeInstances keeps showing a terminated instance, as EC2 does.</summary>
    public TimeSpan TerminatedVisibility { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// A Spot price-history file (the data pack's TSV, plain or <c>.tsv.zst</c>) the market replays instead of the
    /// built-in price walk; null keeps the walk. See <see cref="ReplayedSpotPrices"/> for how its time maps onto the clock.
    /// </summary>
    public string? PriceHistoryFile { get; set; }

    /// <summary>The instant that shows the file's first price change; null shows every change at its own time.</summary>
    public DateTimeOffset? PriceHistoryStart { get; set; }
}

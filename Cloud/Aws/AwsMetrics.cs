using System.Diagnostics.Metrics;

namespace SpotOptimizer.Cloud.Aws;

/// <summary>
/// What the AWS calls did, for dashboards and alerts: every logical call once (<see cref="CallsCounter"/>, after its
/// retries) and every retry (<see cref="RetriesCounter"/>), so throttling shows as retries long before it fails calls.
/// One meter per <see cref="AwsCloud"/> (all named <see cref="MeterName"/>): an exporter listening by name sees them all,
/// a test listens to its own provider's only.
/// </summary>
public sealed class AwsMetrics : IDisposable
{
    public const string MeterName = "SpotOptimizer.Cloud";

    /// <summary>Tags: <c>operation</c> (the IAM action) and <c>outcome</c> (<see cref="Success"/>, <see cref="DryRun"/> or a <see cref="CloudErrorCodes"/> code).</summary>
    public const string CallsCounter = "spotoptimizer.aws.calls";

    /// <summary>Tags: <c>operation</c> and <c>code</c> (the provider's error code, e.g. <c>RequestLimitExceeded</c>, else ours, e.g. <c>timeout</c>).</summary>
    public const string RetriesCounter = "spotoptimizer.aws.retries";

    public const string Success = "success";

    /// <summary>A dry run that AWS said would have succeeded.</summary>
    public const string DryRun = "dry_run";

    private readonly Counter<long> _calls;
    private readonly Counter<long> _retries;

    public AwsMetrics(IMeterFactory? meterFactory = null)
    {
        Meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _calls = Meter.CreateCounter<long>(CallsCounter, description: "AWS API calls, after retries, tagged by operation and outcome.");
        _retries = Meter.CreateCounter<long>(RetriesCounter, description: "Retries of AWS API calls (throttling, 5xx, timeouts), tagged by operation and error code.");
    }

    public Meter Meter { get; }

    internal void Called(string operation, string outcome) =>
        _calls.Add(1, new KeyValuePair<string, object?>("operation", operation), new KeyValuePair<string, object?>("outcome", outcome));

    internal void Retried(string operation, string code) =>
        _retries.Add(1, new KeyValuePair<string, object?>("operation", operation), new KeyValuePair<string, object?>("code", code));

    public void Dispose() => Meter.Dispose();
}

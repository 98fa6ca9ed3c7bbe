namespace SpotOptimizer.Dashboard.Services;

/// <summary>
/// One experiment as its page shows it while it runs: the last view read (from the API or from the hub's Watch) merged
/// with the telemetry that arrived since. Points and steps are kept by seq, so one that comes both in a history and
/// live is counted once, whatever order the two arrive in.
/// </summary>
public sealed class LiveExperiment
{
    /// <summary>The platform's own bound (Lab:MaxSeriesPoints): a page left open for the whole of a 14-day test stays small.</summary>
    public const int KeptPoints = 5_000;

    private readonly SortedDictionary<long, ExperimentPoint> _points = [];
    private readonly SortedDictionary<long, SwitchStepView> _steps = [];
    private readonly Dictionary<string, ExperimentPoint> _latest = new(StringComparer.Ordinal);

    public LiveExperiment(ExperimentView view)
    {
        View = view;
        Status = view.Status;
        Apply(view);
    }

    /// <summary>The last view read: the verdict and the arms' totals come only with it.</summary>
    public ExperimentView View { get; private set; }

    public string Status { get; private set; }

    public bool IsFinished => ExperimentStatuses.IsFinished(Status);

    public IEnumerable<ExperimentPoint> Points => _points.Values;

    public IEnumerable<SwitchStepView> Steps => _steps.Values;

    /// <summary>The arms of the last view, with what their newest point says about them now.</summary>
    public IReadOnlyList<ArmView> Arms =>
    [
        .. View.Arms.Select(arm => _latest.TryGetValue(arm.Arm, out var point)
            ? arm with { SavingsUsd = point.SavingsUsd, Interruptions = point.Interruptions, Pool = point.Pool, HourlyPrice = point.HourlyPrice }
            : arm),
    ];

    public void Apply(ExperimentView view)
    {
        View = view;
        ChangeStatus(view.Status);
        foreach (var point in view.Series) Add(point);
        foreach (var step in view.Steps) _steps.TryAdd(step.Seq, step);
    }

    /// <returns>Whether the message changed anything (a new point or step, or a new status).</returns>
    public bool Apply(LabTelemetry telemetry)
    {
        var news = ChangeStatus(telemetry.Status);
        if (telemetry.Point is { } point) news |= Add(point);
        if (telemetry.Step is { } step) news |= _steps.TryAdd(step.Seq, step);
        return news;
    }

    /// <summary>A finished experiment stays finished: a late <c>running</c> message (sent before the end, delivered after) changes nothing.</summary>
    private bool ChangeStatus(string status)
    {
        if (IsFinished || status == Status) return false;
        Status = status;
        return true;
    }

    private bool Add(ExperimentPoint point)
    {
        if (!_points.TryAdd(point.Seq, point)) return false;
        if (!_latest.TryGetValue(point.Arm, out var latest) || latest.Seq < point.Seq) _latest[point.Arm] = point;
        while (_points.Count > KeptPoints) _points.Remove(_points.Keys.First());
        return true;
    }
}

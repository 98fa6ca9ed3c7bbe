namespace SpotOptimizer.Dashboard.Tests;

/// <summary>How the experiment page merges a history with the telemetry that arrives around it, and folds a live switch's step reports.</summary>
public sealed class LiveExperimentTests
{
    private static readonly DateTimeOffset Start = new(2026, 5, 1, 10, 0, 0, TimeSpan.Zero);

    private static ExperimentPoint Point(long seq, string arm, double savings, int interruptions = 0, string kind = "tick") =>
        new(seq, Start.AddSeconds(seq), arm, kind, "eu-west-1a/m5.large", 0.035, savings, interruptions, null, 0.1, null);

    private static ArmView Arm(string arm) => new(arm, "builtin", "1", "i-0aaaaaaaaaaaaaaa1", "m5.large", "i-0aaaaaaaaaaaaaaa1", null, 0.096, 0.096, 0, 0, 0, 0, null);

    private static ExperimentView View(string status, params ExperimentPoint[] series) =>
        new("e1", "parallel", status, "c1", "admin", Start, null, null, false, [Arm("A"), Arm("B")], null, series, [], null);

    private static SwitchStepView Report(long seq, string step, string status, double ms = 0, string detail = "") => new(seq, step, status, Start.AddSeconds(seq), ms, detail, null);

    [Fact]
    public void Apply_PointInHistoryAndLive_CountedOnce()
    {
        var live = new LiveExperiment(View("running", Point(1, "A", 0.1), Point(2, "B", 0.1)));

        Assert.False(live.Apply(new LabTelemetry("e1", "running", Point(2, "B", 0.1), null)));
        Assert.True(live.Apply(new LabTelemetry("e1", "running", Point(3, "A", 0.2), null)));
        live.Apply(View("running", Point(1, "A", 0.1), Point(2, "B", 0.1), Point(3, "A", 0.2)));

        Assert.Equal([1L, 2, 3], live.Points.Select(p => p.Seq));
    }

    [Fact]
    public void Apply_LivePointsBeforeTheHistory_KeptInSeqOrder()
    {
        var live = new LiveExperiment(View("running"));

        live.Apply(new LabTelemetry("e1", "running", Point(5, "A", 0.5), null));
        live.Apply(View("running", Point(3, "A", 0.3), Point(4, "B", 0.4)));

        Assert.Equal([3L, 4, 5], live.Points.Select(p => p.Seq));
    }

    [Fact]
    public void Arms_NewestPointOfEachArm_GivesItsSavingsInterruptionsAndPool()
    {
        var live = new LiveExperiment(View("running", Point(1, "A", 0.1)));

        live.Apply(new LabTelemetry("e1", "running", Point(3, "A", 0.3, interruptions: 1), null));
        live.Apply(new LabTelemetry("e1", "running", Point(2, "A", 0.2), null));

        var a = live.Arms.Single(x => x.Arm == "A");
        Assert.Equal((0.3, 1, "eu-west-1a/m5.large"), (a.SavingsUsd, a.Interruptions, a.Pool));
        Assert.Equal(0, live.Arms.Single(x => x.Arm == "B").SavingsUsd);
    }

    [Fact]
    public void Apply_RunningAfterStopped_StaysStopped()
    {
        var live = new LiveExperiment(View("running"));

        Assert.True(live.Apply(new LabTelemetry("e1", "stopped", null, null)));
        Assert.True(live.Apply(new LabTelemetry("e1", "running", Point(9, "A", 0.9), null)));
        live.Apply(View("running"));

        Assert.Equal("stopped", live.Status);
        Assert.True(live.IsFinished);
    }

    [Fact]
    public void Rows_StartedThenOutcome_OneRowPerStepAndOneForEachVolume()
    {
        var rows = SwitchSteps.Rows(
        [
            Report(1, "stop_instance", "started", detail: "stop i-1"), Report(2, "stop_instance", "ok", 800, "stopped"),
            Report(3, "detach_volume", "started", detail: "detach vol-1"), Report(4, "detach_volume", "ok", 100),
            Report(5, "detach_volume", "started", detail: "detach vol-2"), Report(7, "launch_spot", "started", detail: "launch"),
            Report(6, "detach_volume", "ok", 120),
        ]);

        Assert.Equal(
            [("stop_instance", "ok", "stop i-1", 800d), ("detach_volume", "ok", "detach vol-1", 100), ("detach_volume", "ok", "detach vol-2", 120), ("launch_spot", "started", "launch", 0)],
            rows.Select(r => (r.Step, r.Status, r.What!, r.DurationMs)));
        Assert.All(rows, r => Assert.False(r.Rollback));
    }

    [Fact]
    public void Rows_RollbackSteps_Marked()
    {
        var rows = SwitchSteps.Rows([Report(1, "boot", "started"), Report(2, "boot", "failed", 30_000), Report(3, "terminate_spot", "started"), Report(4, "terminate_spot", "rolled_back", 200)]);

        Assert.Equal([false, true], rows.Select(r => r.Rollback));
        Assert.Equal(["failed", "rolled_back"], rows.Select(r => r.Status));
    }
}

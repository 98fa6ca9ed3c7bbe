using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Runtime;
using SpotOptimizer.Cloud;
using SpotOptimizer.Grains.Execution;
using SpotOptimizer.Grains.Interfaces.Feeds;
using SpotOptimizer.Grains.Interfaces.Lab;
using SpotOptimizer.Grains.Interfaces.Market;
using SpotOptimizer.Grains.Market;
using SpotOptimizer.Optimization.Lab;
using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Risk;
using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Grains.Lab;

/// <summary>
/// Runs one Lab experiment (see <see cref="ILabExperimentGrain"/>). State is written after every tick and step, so a
/// restart resumes where the experiment was; a reminder brings a running A/B test back after its silo went away, and
/// its timer ticks while it is active. Each new point or step goes to the Lab feed; <see cref="Get"/> reads an
/// immutable view published after every change.
/// </summary>
public sealed partial class LabExperimentGrain(
    [PersistentState("lab-experiment")] IPersistentState<ExperimentState> state,
    CloudSessions sessions,
    ICloudProvider cloud,
    CloudExecutor executor,
    AuditLedger ledger,
    SafeMode safeMode,
    ModelCatalog models,
    LiveSwitch liveSwitch,
    IOptions<LabOptions> options,
    TimeProvider time,
    ILogger<LabExperimentGrain> logger) : Grain, ILabExperimentGrain, IRemindable
{
    private const string Reminder = "lab-experiment";
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>How long a stop waits for the tick in progress before leaving the ending to it.</summary>
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(10);

    private volatile ExperimentView? _view;
    private IGrainTimer? _timer;

    /// <summary>Set while a tick runs, so a stop (which interleaves) can wait for it instead of writing beside it.</summary>
    private TaskCompletionSource? _tick;

    private ExperimentState S => state.State;

    private string Id => this.GetPrimaryKeyString();

    private string Resource => $"cluster:{S.ClusterId}";

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Publish();
        if (S.Kind == ExperimentKinds.Parallel && S.Status == ExperimentStatus.Running) StartTicking();
        if (S.Kind == ExperimentKinds.LiveSwitch && S.Status == ExperimentStatus.Running)
        {
            // Cut off by a restart: its steps are idempotent and its plan saved, so it finishes (or rolls back) what it started.
            this.RegisterGrainTimer(_ => RunLiveSwitchAsync(), TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }
        return Task.CompletedTask;
    }

    public Task<ExperimentView?> Get() => Task.FromResult(_view);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        // The reminder only brings the grain back (activation restarts the timer); a finished experiment drops it.
        if (S.Kind is null || ExperimentStatus.IsFinished(S.Status))
        {
            if (await this.GetReminder(Reminder) is { } reminder) await this.UnregisterReminder(reminder);
        }
    }

    /// <summary>
    /// Interleaves (a tick may be moving a node for as long as it boots): the running tick is awaited for a while and
    /// then the experiment ends; a tick still running after that ends it itself, and the view says <c>running</c> until then.
    /// </summary>
    public async Task<ExperimentView?> Stop(string actor)
    {
        if (S.Kind is null) return null;
        if (S.Kind != ExperimentKinds.Parallel || ExperimentStatus.IsFinished(S.Status)) return _view;
        S.StoppedBy ??= actor;
        if (_tick is { } running)
        {
            try
            {
                await running.Task.WaitAsync(StopWait, time);
            }
            catch (TimeoutException)
            {
                // Still moving a node: the tick sees StoppedBy when it ends and finishes the experiment then.
                return _view;
            }
        }

        if (!ExperimentStatus.IsFinished(S.Status)) await FinishAsync(ExperimentStatus.Stopped);
        return _view;
    }

    private void StartTicking()
    {
        _timer?.Dispose();
        _timer = this.RegisterGrainTimer(_ => TickAsync(), TimeSpan.Zero, options.Value.TickInterval);
    }

    /// <summary>Records a new experiment: its state, its place in the directory and its <c>lab.experiment_started</c> entry with <paramref name="details"/>.</summary>
    private async Task BeginAsync(string kind, string organizationId, string actor, string clusterId, List<ArmState> arms, object details)
    {
        S.Kind = kind;
        S.OrganizationId = organizationId;
        S.Actor = actor;
        S.ClusterId = clusterId;
        S.CreatedAt = time.GetUtcNow();
        S.NoticesSince = S.CreatedAt;
        S.Arms = arms;
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<ILabDirectoryGrain>(ILabDirectoryGrain.Key).Register(Summary());
        await ledger.RecordAsync(S.OrganizationId, S.Actor, "lab.experiment_started", Resource,
            JsonSerializer.Serialize(new { experiment_id = Id, kind, details }, Json), CancellationToken.None);
        Publish();
    }

    /// <summary>The executor's scope on the experiment's cluster, or null when it is no longer managed or its account not linked. Once dry, always dry.</summary>
    private async Task<ExecutionScope?> ScopeAsync()
    {
        if (await GrainFactory.OpenClusterAsync(sessions, S.OrganizationId, S.ClusterId) is not (var inputs, var session)) return null;
        S.DryRun |= safeMode.IsOn || inputs.Policy.DryRun;
        return ClusterAccess.Scope(inputs, session, S.OrganizationId, S.Actor, S.DryRun);
    }

    private async Task<IReadOnlySet<SpotPoolId>> FlaggedAsync(string region) => (await GrainFactory.FlagsForAsync(region, S.OrganizationId)).Pools();

    /// <summary>The model as MOD-AI-01 behind its safety net: one that cannot be served leaves the arm on the heuristic, saying why.</summary>
    private async Task<RiskAssessor> AssessorForAsync(string modelId, RiskReferenceData reference)
    {
        try
        {
            return new RiskAssessor(await models.PredictorForAsync(modelId, reference, CancellationToken.None), reference);
        }
        catch (ModelNotFoundException exception)
        {
            return new RiskAssessor(null, reference, exception.Message);
        }
        catch (ModelLoadException exception)
        {
            return new RiskAssessor(null, reference, exception.Message);
        }
    }

    private void AddPoint(ArmState arm, string kind, double? bootSeconds, double? risk, string? detail)
    {
        var point = new ExperimentPoint(++S.Seq, time.GetUtcNow(), arm.Arm, kind, PoolOf(arm), arm.HourlyPrice, Math.Round(arm.SavingsUsd, 6), arm.Interruptions,
            bootSeconds, risk, detail);
        S.Series.Add(point);
        if (S.Series.Count > options.Value.MaxSeriesPoints) S.Series.RemoveRange(0, S.Series.Count - options.Value.MaxSeriesPoints);
        Broadcast(new LabTelemetry(Id, S.Status, point, null));
    }

    private void AddStep(SwitchStepView step)
    {
        S.Steps.Add(step);
        Broadcast(new LabTelemetry(Id, S.Status, null, step));
    }

    private void Broadcast(LabTelemetry telemetry) =>
        GrainFactory.GetGrain<IFeedHubGrain>(FeedHubs.For(Id)).Publish(new FeedEvent(FeedNames.Lab, Id, JsonSerializer.Serialize(telemetry, Json))).Ignore();

    private async Task FinishAsync(string status, string? error = null)
    {
        S.Status = status;
        S.Error = error;
        S.FinishedAt = time.GetUtcNow();
        _timer?.Dispose();
        _timer = null;
        await ledger.RecordAsync(S.OrganizationId, S.StoppedBy ?? S.Actor, $"lab.experiment_{status}", Resource, JsonSerializer.Serialize(new
        {
            experiment_id = Id, kind = S.Kind, dry_run = S.DryRun, error,
            verdict = S.Kind == ExperimentKinds.Parallel ? Verdict() : null,
            arms = S.Arms.Select(a => new { a.Arm, a.ModelId, savings_usd = Math.Round(a.SavingsUsd, 4), a.Interruptions, a.Moves }),
        }, Json), CancellationToken.None);
        await SaveAsync();
        Broadcast(new LabTelemetry(Id, S.Status, null, null));
        await GrainFactory.GetGrain<ILabDirectoryGrain>(ILabDirectoryGrain.Key).Update(Summary());
        if (await this.GetReminder(Reminder) is { } reminder) await this.UnregisterReminder(reminder);
    }

    private async Task SaveAsync()
    {
        await state.WriteStateAsync();
        Publish();
    }

    private ExperimentSummary Summary() => new(Id, S.Kind!, S.Status, S.ClusterId, S.Actor, S.CreatedAt, [.. S.Arms.Select(a => a.ModelId)],
        ExperimentStatus.IsFinished(S.Status) ? [] : [.. S.Arms.SelectMany(a => a.Launched.Append(a.OriginalInstanceId)).Distinct(StringComparer.Ordinal)]);

    private VerdictView? Verdict()
    {
        if (S.Arms.Count != 2) return null;
        var verdict = ArmComparison.Compare(Observations(S.Arms[0]), Observations(S.Arms[1]), options.Value.Alpha, options.Value.MinSamples);
        return new VerdictView(verdict.Winner, verdict.Reason, verdict.InterruptionsPValue, verdict.SavingsPValue, options.Value.Alpha);

        static ArmObservations Observations(ArmState arm) => new(arm.Arm, arm.HourlySavings, arm.Interruptions, arm.SpotHours);
    }

    private void Publish()
    {
        if (S.Kind is null)
        {
            _view = null;
            return;
        }

        _view = new ExperimentView(Id, S.Kind, S.Status, S.ClusterId, S.Actor, S.CreatedAt, S.EndsAt, S.FinishedAt, S.DryRun,
            [.. S.Arms.Select(a => new ArmView(a.Arm, a.ModelId, a.ModelVersion, a.OriginalInstanceId, a.OriginalType, a.CurrentInstanceId, PoolOf(a),
                a.HourlyPrice, a.OnDemandHourlyPrice, Math.Round(a.SavingsUsd, 6), a.Interruptions, Math.Round(a.SpotHours, 6), a.Moves,
                a.BootSeconds.Count > 0 ? a.BootSeconds.Average() : null))],
            S.Kind == ExperimentKinds.Parallel ? Verdict() : null, [.. S.Series], [.. S.Steps], S.Error);
    }

    private static string? PoolOf(ArmState arm) => arm.Zone is null ? null : $"{arm.Zone}/{arm.InstanceType}";
}

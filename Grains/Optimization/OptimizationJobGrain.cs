using SpotOptimizer.Grains.Market;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpotOptimizer.Cloud;
using SpotOptimizer.Grains.Execution;
using SpotOptimizer.Grains.Interfaces.Clusters;
using SpotOptimizer.Grains.Interfaces.Governance;
using SpotOptimizer.Grains.Interfaces.Lab;
using SpotOptimizer.Grains.Interfaces.Market;
using SpotOptimizer.Grains.Interfaces.Optimization;
using SpotOptimizer.Grains.Lab;
using SpotOptimizer.Optimization.Cluster;
using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Risk;
using SpotOptimizer.Optimization.Selection;
using Orleans;
using Orleans.Runtime;
using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Grains.Optimization;

/// <summary>
/// Runs one job in a timer turn of its own, so Start returns at once: detect (the cluster's live nodes), risk (the
/// region's market and the hive mind's flags), decide (<see cref="ClusterOptimizer"/>, and MOD-PACK-01 consolidation on
/// the agent's inventory, and the headroom top-up), execute (each replacement, each headroom launch, then each consolidation action, through <see cref="CloudExecutor"/>). Progress is persisted after every step and published as an immutable view
/// that Get reads while the run goes on.
/// </summary>
public sealed partial class OptimizationJobGrain(
    [PersistentState("optimization-job")] IPersistentState<JobState> state,
    CloudSessions sessions,
    ICloudProvider cloud,
    CloudExecutor executor,
    AuditLedger ledger,
    IOptions<OptimizerOptions> optimizer,
    SafeMode safeMode,
    TimeProvider time,
    LoopFailures failures,
    CommitmentStore commitments,
    ProductionModel production,
    PlacementScoreReader placementScores,
    IHostApplicationLifetime lifetime,
    ILogger<OptimizationJobGrain> logger) : Grain, IOptimizationJobGrain
{
    private volatile JobView? _view;
    private (MarketSnapshot Market, RiskAssessor Risk)? _risk;

    private JobState S => state.State;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Publish();
        // Found unfinished, the job was cut off by a restart. Its steps are idempotent, so it finishes what it started,
        // in a turn of its own: whoever activated it (its cluster, asking after it) must get its answer first.
        if (S.OrganizationId is not null && !JobStatus.IsFinished(S.Status))
        {
            this.RegisterGrainTimer(_ => RunAsync(resume: true), TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }

        return Task.CompletedTask;
    }

    public async Task<JobView> Start(JobStart start)
    {
        if (S.OrganizationId is not null) return _view!;
        S.OrganizationId = start.OrganizationId;
        S.ClusterId = start.ClusterId;
        S.Actor = start.Actor;
        S.Trigger = start.Trigger;
        S.Impersonator = start.Impersonator;
        S.Cause = start.Cause;
        S.CreatedAt = time.GetUtcNow();
        await state.WriteStateAsync();
        Publish();
        this.RegisterGrainTimer(_ => RunAsync(resume: false), TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        return _view!;
    }

    public async Task Forget()
    {
        if (S.OrganizationId is null || !JobStatus.IsFinished(S.Status)) return;
        await state.ClearStateAsync();
        state.State = new JobState();
        _view = null;
        DeactivateOnIdle();
    }

    public Task<JobView?> Get(string organizationId) => Task.FromResult(_view is { } view && S.OrganizationId == organizationId ? view : null);

    private string JobId => this.GetPrimaryKeyString();

    private string Resource => $"cluster:{S.ClusterId}";

    /// <summary>
    /// Cancels the step under way (a node booting, a drain) when the host begins to stop: Orleans waits for a running
    /// turn before it deactivates a grain, so without it the silo's stop would wait for the step up to the host's
    /// shutdown timeout. The job is left as it was, and its steps are idempotent: it resumes after the restart.
    /// </summary>
    private CancellationToken Stopping => lifetime.ApplicationStopping;

    private async Task RunAsync(bool resume)
    {
        // Timer turns start with an empty request context; the ledger reads the impersonator from it.
        if (S.Impersonator is { } impersonator) RequestContext.Set(AuditLedger.ImpersonatorKey, impersonator);
        var cluster = GrainFactory.GetGrain<IClusterGrain>(S.ClusterId);
        var placed = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var cutOff = false;
        try
        {
            if (!resume) await RunStagesAsync(cluster, placed);
            else if (S.Stage == JobStages.Execute && S.Plan is not null && await PrepareAsync() is { } context) await ExecuteAsync(context, cluster, placed);
            else if (S.Stage != JobStages.Execute) await FailAsync("interrupted", "The platform restarted before the job acted; nothing was changed.");
        }
        catch (OperationCanceledException) when (Stopping.IsCancellationRequested)
        {
            // Neither failed nor finished: the cluster keeps its running-job slot, so no second job acts on these nodes
            // before this one resumes: when its cluster activates again (a restart), when anyone asks after it, or when a
            // start finds its lease run out (a silo stopped while the rest of the cluster runs on).
            cutOff = true;
            LogJobCutOff(logger, JobId, S.ClusterId, S.Stage);
        }
        catch (CloudException exception)
        {
            failures.Record(LoopFailures.Optimization);
            LogJobFailed(logger, exception, JobId, S.ClusterId, exception.Code, null);
            await FailAsync(exception.Code, CloudErrorMessages.For(exception.Code));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Anything else (storage, a bug) still ends the job visibly instead of leaving it "running".
            failures.Record(LoopFailures.Optimization);
            // The exception stays in the logs under a reference the customer can quote; they read a sentence, not a stack.
            var reference = ErrorReference.New();
            LogJobFailed(logger, exception, JobId, S.ClusterId, "internal_error", reference);
            await FailAsync("internal_error",
                $"Something went wrong on our side and the job stopped; the steps already done are in its action log. Quote reference {reference} to support.",
                reference);
        }
        finally
        {
            if (!cutOff) await cluster.CompleteOptimization(new OptimizationFinished(JobId, placed));
        }
    }

    private async Task RunStagesAsync(IClusterGrain cluster, Dictionary<string, DateTimeOffset> placed)
    {
        if (await StoppedAsync()) return;
        S.Status = JobStatus.Running;
        S.StartedAt = time.GetUtcNow();
        await SaveAsync(JobStages.Detect);
        if (await PrepareAsync() is not { } context) return;
        var (inputs, session) = (context.Inputs, context.Scope.Session);
        // Nodes a running Lab experiment holds are its own to move: the loop neither replaces nor packs them.
        var held = await GrainFactory.GetGrain<ILabDirectoryGrain>(ILabDirectoryGrain.Key).HeldIn(S.ClusterId);
        var instances = (await cloud.Ec2.DescribeInstancesAsync(session, inputs.Region, CancellationToken.None)).Where(i => !held.Contains(i.InstanceId)).ToList();
        var nodes = instances.Where(i => i.ClusterName == inputs.ClusterName && i.IsActive)
            .Select(i => new ClusterNode(i.InstanceId, i.InstanceType, i.AvailabilityZone,
                i.Lifecycle == InstanceLifecycle.Spot ? PurchaseOption.Spot : PurchaseOption.OnDemand, i.NodegroupName))
            .ToList();

        await SaveAsync(JobStages.Risk);
        var quoted = await GrainFactory.MarketSnapshotAsync(inputs.Region);
        if (quoted is null)
        {
            await FailAsync("market_unavailable", $"No Spot market data for {inputs.Region} yet.");
            return;
        }

        // From here on the job speaks the tenant's zone names: its nodes', the market's and the flags' pools alike.
        var zones = await GrainFactory.ZoneTranslationAsync(cloud, context.Scope, quoted);
        var market = zones.ToTenant(quoted);

        var flags = await GrainFactory.FlagsForAsync(inputs.Region, S.OrganizationId!);

        await SaveAsync(JobStages.Decide);
        if (await StoppedAsync()) return;
        var families = await AllowedFamiliesAsync(inputs.Policy);
        var settings = new OptimizationSettings(
            optimizer.Value.MinSavingsPercent, optimizer.Value.MaxRiskFor(inputs.Policy.KarpenterStrategy), optimizer.Value.DisruptionBudgetPercent,
            optimizer.Value.MinOnDemandNodes, optimizer.Value.ChurnWindow, families,
            OptimizerOptions.SelectionFor(inputs.Policy.KarpenterStrategy) with
            {
                AllowOnDemandFallback = inputs.Policy.OnDemandFallback,
            });
        var flagged = zones.ToTenant(flags.Pools());
        var covered = await CoveredAsync(nodes, inputs.Region, market);
        var inventory = await cluster.GetInventory(S.OrganizationId!);
        var placement = await PlacementScoresAsync(context, cluster, market, nodes, families);
        var plan = ClusterOptimizer.Plan(new ClusterOptimizationRequest(nodes, market, flagged, settings, inputs.PlacedByUs, time.GetUtcNow(), covered,
            ConsolidationPins.DoNotDisrupt(inventory?.Inventory)) { PlacementScores = placement.Scores }, RiskFor(market));
        var (packing, headroom) = await PlanConsolidationAsync(inventory, inputs, instances, market, flagged, plan.Replacements.Select(r => r.Node.InstanceId).ToHashSet(StringComparer.Ordinal), covered);
        S.Plan = PlanView(plan, nodes.Count, flags.Count) with
        {
            Consolidation = packing, Headroom = headroom,
            Notes = placement.Note is { } absent ? [.. plan.Notes, absent] : plan.Notes,
        };
        var consolidations = packing?.Actions.Count ?? 0;
        var headroomLaunches = headroom?.Launches.Count ?? 0;
        // A scheduled run that finds nothing to do changes nothing: it stays in the job, out of the ledger and the feed.
        // A proactive move is always recorded, with the flag behind it, even when another run already moved the nodes.
        if (Recorded || plan.Replacements.Count > 0 || consolidations > 0 || headroomLaunches > 0)
        {
            await ledger.RecordAsync(S.OrganizationId!, S.Actor, "optimization.planned", Resource, JsonSerializer.Serialize(new
            {
                job_id = JobId, trigger = S.Trigger, flag = S.Cause, dry_run = S.DryRun, replacements = plan.Replacements.Count,
                blocked = plan.Blocked.GroupBy(b => b.Code).ToDictionary(g => g.Key, g => g.Count()),
                hourly_saving = Math.Round(plan.HourlySaving, 4), risk_source = S.Plan.RiskSource, prices_stale = plan.PricesStale, flagged_pools = flags.Count,
                consolidations, consolidation_skipped = packing?.Skipped.GroupBy(b => b.Code).ToDictionary(g => g.Key, g => g.Count()),
                monthly_saving = MonthlySaving(S.Plan),
                headroom_launches = headroomLaunches, headroom_code = headroom?.Code, headroom_monthly_cost = headroom?.MonthlyCost ?? 0,
                placement_scored_pools = placement.Scores?.ByPool.Count ?? 0,
                placement_notes = S.Plan.Notes.Where(n => n.Contains("[PLACEMENT]", StringComparison.Ordinal)).ToList(),
            }, Json), CancellationToken.None);
        }

        await SaveAsync(JobStages.Execute);
        await ExecuteAsync(context, cluster, placed);
    }

    /// <summary>
    /// Reads what acting needs: the cluster's inputs, the account's role, a session, and whether to act for real.
    /// </summary>
    private async Task<JobContext?> PrepareAsync()
    {
        if (await GrainFactory.OpenClusterAsync(sessions, S.OrganizationId!, S.ClusterId) is not (var inputs, var session))
        {
            if (await StoppedAsync()) return null;
            await FailAsync("account_not_linked", "The cluster is no longer managed, or its AWS account is not linked (or no longer the organization's).");
            return null;
        }

        // Once dry, always dry: a job never turns real half-way, but SAFE_MODE or the cluster's dry run stop its real steps.
        S.DryRun |= safeMode.IsOn || inputs.Policy.DryRun;
        return new JobContext(inputs, ClusterAccess.Scope(inputs, session, S.OrganizationId!, S.Actor, S.DryRun));
    }

    /// <summary>Runs every replacement still pending (all of them, unless resuming), renewing the cluster's lease on the job after each.</summary>
    private async Task ExecuteAsync(JobContext context, IClusterGrain cluster, Dictionary<string, DateTimeOffset> placed)
    {
        var replacements = S.Plan!.Replacements;
        // Every launch names the node group it belongs in (its launch template and subnets): read once, for all of them.
        var groups = ClusterNodegroups.From(await cluster.GetNodes(S.OrganizationId!), context.Inputs.Nodegroups);
        for (var i = 0; i < replacements.Count; i++)
        {
            if (S.Plan.Replacements[i].Outcome != ReplacementOutcomes.Pending) continue;
            if (await StoppedAsync()) return;
            await ReplaceAsync(context.Scope, i, S.Plan.Replacements[i], placed, groups);
            await cluster.RenewOptimization(JobId);
        }

        // Spare capacity before consolidation: an interrupted node's pods find room even while nodes drain.
        if (!await KeepHeadroomAsync(context.Scope, cluster, placed, groups)) return;
        if (!await ConsolidateAsync(context.Scope, cluster, placed, groups)) return;
        var packing = S.Plan.Consolidation?.Actions ?? [];
        var headroom = S.Plan.Headroom?.Launches ?? [];
        var failed = S.Plan.Replacements.Count(r => r.Outcome is ReplacementOutcomes.Failed or ReplacementOutcomes.RolledBack);
        var packingFailed = packing.Count(a => a.Outcome is ConsolidationOutcomes.Failed or ConsolidationOutcomes.RolledBack);
        var headroomFailed = headroom.Count(l => l.Outcome == HeadroomOutcomes.Failed);
        var status = failed + packingFailed + headroomFailed > 0 ? JobStatus.Partial : JobStatus.Succeeded;
        // The ledger first: once the job reads as finished, its record is complete. A scheduled run with nothing to do stays out of it.
        if (Recorded || S.Plan.Replacements.Count > 0 || packing.Count > 0 || headroom.Count > 0)
        {
            await ledger.RecordAsync(S.OrganizationId!, S.Actor, "optimization.completed", Resource, JsonSerializer.Serialize(new
            {
                job_id = JobId, status, trigger = S.Trigger, flag = S.Cause, dry_run = S.DryRun, replaced = S.Plan.Replacements.Count(r => r.Outcome == ReplacementOutcomes.Replaced),
                failed, hourly_saving = S.Plan.HourlySaving,
                consolidated = packing.Count(a => a.Outcome == ConsolidationOutcomes.Consolidated), consolidation_failed = packingFailed,
                nodes_removed = packing.Where(a => a.Outcome == ConsolidationOutcomes.Consolidated).Sum(a => a.Nodes.Count), monthly_saving = MonthlySavingDone(S.Plan),
                headroom_launched = headroom.Count(l => l.Outcome == HeadroomOutcomes.Launched), headroom_failed = headroomFailed,
            }, Json), CancellationToken.None);
        }

        S.Status = status;
        ProductMetrics.OptimizationJobs.Add(1, new KeyValuePair<string, object?>("status", status));
        S.FinishedAt = time.GetUtcNow();
        await SaveAsync(JobStages.Done);
    }

    private sealed record JobContext(OptimizationInputs Inputs, ExecutionScope Scope);

    /// <summary>Whether the job is in the ledger whatever it finds: one a user asked for, or a proactive move (its flag is the record).</summary>
    private bool Recorded => S.Trigger is JobTriggers.Manual or JobTriggers.PoolFlagged;

    private async Task<IReadOnlyList<string>?> AllowedFamiliesAsync(ClusterPolicy policy) => (await DefaultTemplateAsync(policy))?.Families;

    /// <summary>
    /// This silo's production model (hot-swapped when a super admin graduates one), bound to the market. Read once per
    /// market snapshot, so the cluster plan and the headroom plan of one run are scored by the same model.
    /// </summary>
    private RiskAssessor RiskFor(MarketSnapshot market)
    {
        if (_risk is { } known && ReferenceEquals(known.Market, market)) return known.Risk;
        var risk = production.AssessorFor(RiskReferenceData.Of(market));
        _risk = (market, risk);
        return risk;
    }

    private async Task FailAsync(string code, string message, string? reference = null)
    {
        if (S.OrganizationId is { } organizationId)
        {
            await ledger.RecordAsync(organizationId, S.Actor, "optimization.failed", Resource,
                JsonSerializer.Serialize(new { job_id = JobId, code, message, reference }, Json), CancellationToken.None);
        }

        S.Status = JobStatus.Failed;
        S.ErrorCode = code;
        S.Error = message;
        S.ErrorReference = reference;
        S.FinishedAt = time.GetUtcNow();
        await SaveAsync(S.Stage);
    }

    private async Task SaveAsync(string stage)
    {
        S.Stage = stage;
        await state.WriteStateAsync();
        Publish();
    }

    private void Publish() => _view = S.OrganizationId is null ? null : new JobView(
        JobId, S.ClusterId, S.Status, S.Stage, S.Trigger, S.DryRun, S.CreatedAt, S.StartedAt, S.FinishedAt,
        S.Plan is null ? null : S.Plan with { Replacements = [.. S.Plan.Replacements] }, [.. S.Actions], S.ErrorCode, S.Error, S.ErrorReference)
    {
        Cause = S.Cause,
    };

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    [LoggerMessage(1, LogLevel.Warning, "Optimization job {Job} of cluster {Cluster} failed: {Code} (reference {Reference})")]
    private static partial void LogJobFailed(ILogger logger, Exception exception, string job, string cluster, string code, string? reference);

    [LoggerMessage(2, LogLevel.Information, "Optimization job {Job} of cluster {Cluster} was cut off in its {Stage} stage by the host stopping; it resumes after the restart")]
    private static partial void LogJobCutOff(ILogger logger, string job, string? cluster, string? stage);
}

using SpotOptimizer.Grains.Interfaces.Clusters;
using SpotOptimizer.Grains.Interfaces.Optimization;
using Orleans;
using Orleans.Runtime;

namespace SpotOptimizer.Grains.Clusters;

/// <summary>
/// The optimize loop: a durable reminder on every managed cluster starts a job after each new discovery; a user can
/// start one any time. One job at a time per cluster: asking again returns the job in flight.
/// </summary>
public sealed partial class ClusterGrain
{
    public const string OptimizeReminder = "optimize";
    private const int RecentJobsKept = 20;

    public Task<IReadOnlyList<string>?> GetRecentJobs(string organizationId) =>
        Task.FromResult<IReadOnlyList<string>?>(Owns(organizationId) ? [.. Enumerable.Reverse(state.State.RecentJobs)] : null);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A job cut off by a restart resumes once it is asked after. Asking as soon as its cluster is back (an agent's
        // report, a reminder, a page view) finishes what it started within seconds, not after its lease runs out.
        if (state.State.ActiveJobId is { } active && Discovery?.OrganizationId is { } organizationId)
        {
            this.RegisterGrainTimer(async _ => await GrainFactory.GetGrain<IOptimizationJobGrain>(active).Get(organizationId),
                TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }

        return Task.CompletedTask;
    }

    public Task<OptimizationRequestResult?> StartOptimization(string organizationId, string actor, string trigger) =>
        StartJobAsync(organizationId, actor, trigger, cause: null);

    /// <param name="cause">The flag behind a proactive move (<see cref="JobTriggers.PoolFlagged"/>), carried into the job and its ledger entries.</param>
    private async Task<OptimizationRequestResult?> StartJobAsync(string organizationId, string actor, string trigger, FlagCause? cause)
    {
        if (!Owns(organizationId)) return null;
        if (state.State.Gone) return new OptimizationRequestResult(null, OptimizationRefusals.Gone);
        if (!state.State.Managed) return new OptimizationRequestResult(null, OptimizationRefusals.NotManaged);
        if (state.State.Power == ClusterPower.Asleep) return new OptimizationRequestResult(null, OptimizationRefusals.Asleep);
        if (AgentRevoked) return new OptimizationRequestResult(null, OptimizationRefusals.AgentRevoked);
        var now = time.GetUtcNow();
        if (state.State.ActiveJobId is { } active)
        {
            if (now - state.State.ActiveJobSince < optimizer.Value.JobTimeout) return new OptimizationRequestResult(new OptimizationStarted(active, AlreadyRunning: true), null);

            // No word from the job for a whole timeout: a restart cut it off. Asking after it wakes it, and an
            // unfinished job resumes (its steps are idempotent) instead of a second job acting on the same nodes.
            var job = await GrainFactory.GetGrain<IOptimizationJobGrain>(active).Get(organizationId);
            if (job is not null && !JobStatus.IsFinished(job.Status))
            {
                state.State.ActiveJobSince = now;
                await state.WriteStateAsync();
                return new OptimizationRequestResult(new OptimizationStarted(active, AlreadyRunning: true), null);
            }
        }

        var jobId = Guid.NewGuid().ToString("D");
        state.State.RecentJobs.Add(jobId);
        var dropped = state.State.RecentJobs.Count > RecentJobsKept ? state.State.RecentJobs[0] : null;
        if (dropped is not null) state.State.RecentJobs.RemoveAt(0);
        state.State.ActiveJobId = jobId;
        state.State.ActiveJobSince = now;
        state.State.LastOptimizationAt = now;
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IOptimizationJobGrain>(jobId)
            .Start(new JobStart(organizationId, this.GetPrimaryKeyString(), actor, trigger, RequestContext.Get(Tenancy.AuditLedger.ImpersonatorKey) as string) { Cause = cause });
        // Retention: a job that left the history stops taking a row; what it did stays in the ledger.
        if (dropped is not null) await GrainFactory.GetGrain<IOptimizationJobGrain>(dropped).Forget();
        return new OptimizationRequestResult(new OptimizationStarted(jobId, AlreadyRunning: false), null);
    }

    public Task<OptimizationInputs?> GetOptimizationInputs(string organizationId)
    {
        // Unmanaged: a job still running (resumed after a restart, or told to stop) gets nothing to act on.
        if (!Owns(organizationId) || !state.State.Managed || Discovery is not { } discovery) return Task.FromResult<OptimizationInputs?>(null);
        return Task.FromResult<OptimizationInputs?>(new OptimizationInputs(this.GetPrimaryKeyString(), organizationId, discovery.AccountId, discovery.Region,
            discovery.Name, state.State.Policy, discovery.Nodegroups, new Dictionary<string, DateTimeOffset>(state.State.PlacedByUs)));
    }

    public async Task RenewOptimization(string jobId)
    {
        if (state.State.ActiveJobId != jobId) return;
        state.State.ActiveJobSince = time.GetUtcNow();
        await state.WriteStateAsync();
    }

    public async Task CompleteOptimization(OptimizationFinished finished)
    {
        var now = time.GetUtcNow();
        foreach (var (instanceId, at) in finished.Placed) state.State.PlacedByUs[instanceId] = at;
        // Beyond twice the churn window an entry can no longer block anything.
        foreach (var old in state.State.PlacedByUs.Where(p => now - p.Value > 2 * optimizer.Value.ChurnWindow).Select(p => p.Key).ToList())
            state.State.PlacedByUs.Remove(old);
        var followUp = state.State.ActiveJobId == finished.JobId ? TakeFollowUp(now) : null;
        if (state.State.ActiveJobId == finished.JobId) state.State.ActiveJobId = null;
        await state.WriteStateAsync();
        if (followUp is not null) await StartFollowUpAsync(followUp);
    }

    /// <summary>Managed clusters carry the optimize reminder, first due after Optimizer:FirstRun; registering it is idempotent.</summary>
    private async Task EnsureOptimizeReminderAsync()
    {
        if (state.State.Managed && await this.GetReminder(OptimizeReminder) is null)
            await this.RegisterOrUpdateReminder(OptimizeReminder, optimizer.Value.FirstRun, optimizer.Value.Period);
    }

    private async Task OnOptimizeTickAsync(DateTimeOffset at)
    {
        await CheckAgentAsync(at);
        await ExpireCommandsAsync(at);
        // After a restart the pool index is told again within one period, changed or not: a lost entry heals itself.
        if (_occupied is null) await SyncOccupancyAsync();
        await OptimizeAfterDiscoveryAsync();
    }

    private async Task OptimizeAfterDiscoveryAsync()
    {
        if (!state.State.Managed || AgentRevoked || state.State.Gone || state.State.Power == ClusterPower.Asleep || state.State.DiscoveredAt is not { } discovered) return;
        if (state.State.LastOptimizationAt is { } last && last >= discovered) return;
        await StartOptimization(Discovery!.OrganizationId, "system:optimizer", JobTriggers.Schedule);
    }
}

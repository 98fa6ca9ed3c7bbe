using System.Text.Json;
using SpotOptimizer.Grains.Interfaces.Optimization;

namespace SpotOptimizer.Grains.Optimization;

/// <summary>
/// Cancellation between steps, never inside one: the run checks at each stage and before each replacement, so a
/// replacement in progress (launch → drain → terminate) completes and no node is left half-replaced.
/// </summary>
public sealed partial class OptimizationJobGrain
{
    /// <summary>Held in memory only: a job resumed after a restart finds its cluster unmanaged and gets no inputs instead.</summary>
    private string? _cancelReason;

    public Task Cancel(string reason)
    {
        if (S.OrganizationId is not null && !JobStatus.IsFinished(S.Status)) _cancelReason = reason;
        return Task.CompletedTask;
    }

    /// <summary>Ends the job as cancelled when its cluster asked it to stop; false when it should go on.</summary>
    private async Task<bool> StoppedAsync()
    {
        if (_cancelReason is not { } reason || JobStatus.IsFinished(S.Status)) return false;
        await ledger.RecordAsync(S.OrganizationId!, S.Actor, "optimization.cancelled", Resource,
            JsonSerializer.Serialize(new { job_id = JobId, reason, stage = S.Stage }, Json), CancellationToken.None);
        S.Status = JobStatus.Cancelled;
        S.ErrorCode = reason;
        S.Error = reason == Interfaces.Clusters.AgentCommandRefusals.TokenRevoked
            ? "The cluster's agent token was revoked; the job stopped before its next step."
            : "The cluster stopped being managed; the job stopped before its next step.";
        S.FinishedAt = time.GetUtcNow();
        await SaveAsync(S.Stage);
        return true;
    }
}

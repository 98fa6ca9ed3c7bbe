using k8s.Autorest;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpotOptimizer.Agent.Commands;
using SpotOptimizer.Agent.Reporting;

namespace SpotOptimizer.Agent.SafeMode;

/// <summary>
/// Safe mode: after <see cref="AgentOptions.SafeModeAfter"/> without the platform the agent stops disrupting the
/// cluster on its own authority (the platform can no longer see or stop what it would do) and, when
/// <see cref="AgentOptions.SafeModeOnDemand"/>, puts every Karpenter NodePool on On-Demand so a Spot reclaim wave cannot
/// take capacity nobody is watching. It reports itself when the platform answers again and leaves only on the
/// platform's <c>leave_safe_mode</c> command. Used by the single command loop, so it is not thread-safe.
/// </summary>
public sealed partial class SafeModeController(
    PlatformReachability reachability, NodePoolPolicy nodePools, CommandChannel channel, IOptions<AgentOptions> options, TimeProvider time,
    ILogger<SafeModeController> logger)
{
    private readonly Queue<SafeModeReport> _unsent = new();
    private DateTimeOffset _enteredAt;
    private int _unreachableSeconds;
    private bool _resumeChecked;

    public bool Active { get; private set; }

    /// <summary>Enters safe mode when the platform has been unreachable long enough, then sends what the platform has not heard yet.</summary>
    /// <exception cref="HttpRequestException">The platform is still unreachable (the report waits for the next call).</exception>
    public async Task EvaluateAsync(CancellationToken cancellationToken)
    {
        if (!_resumeChecked) await ResumeAsync(cancellationToken);
        var unreachable = reachability.UnreachableFor;
        if (!Active && !reachability.Revoked && unreachable >= options.Value.SafeModeAfter) await EnterAsync(unreachable, cancellationToken);
        await FlushAsync(cancellationToken);
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        while (_unsent.TryPeek(out var report))
        {
            await channel.PostSafeModeAsync(report, cancellationToken);
            _unsent.Dequeue();
            LogReported(logger, report.State);
        }
    }

    /// <summary>The <c>leave_safe_mode</c> command: NodePools back to their own capacity types, then the <c>left</c> report.</summary>
    public async Task<CommandResult> LeaveAsync(AgentCommand command, CancellationToken cancellationToken)
    {
        if (!Active) return CommandResult.Succeeded(command, "not in safe mode");
        var restored = await nodePools.RestoreAsync(cancellationToken);
        Active = false;
        _unsent.Enqueue(new SafeModeReport(SafeModeReport.Left, _enteredAt, SafeModeReport.PlatformUnreachable, _unreachableSeconds,
            [.. restored.Select(name => $"nodepool_restored:{name}")]));
        LogLeft(logger, restored.Count);
        return CommandResult.Succeeded(command, $"left safe mode; {restored.Count} NodePool(s) restored");
    }

    /// <summary>
    /// Safe mode lives in memory, but what it did to the NodePools does not: an agent restarted while in safe mode finds
    /// its annotation on a NodePool and resumes safe mode (reported again, left again on the platform's command), so the
    /// pools are not left on On-Demand for good.
    /// </summary>
    private async Task ResumeAsync(CancellationToken cancellationToken)
    {
        try
        {
            var marked = await nodePools.MarkedAsync(cancellationToken);
            _resumeChecked = true;
            if (marked.Count == 0) return;
            Active = true;
            _enteredAt = time.GetUtcNow();
            _unsent.Enqueue(new SafeModeReport(SafeModeReport.Entered, _enteredAt, SafeModeReport.PlatformUnreachable, 0,
                ["resumed_after_restart", .. marked.Select(name => $"nodepool_on_demand:{name}")]));
            LogEntered(logger, 0, "resumed after a restart");
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException)
        {
            // Checked again before the next poll; commands run meanwhile, as they did before the restart.
            LogResumeCheckFailed(logger, e);
        }
    }

    private async Task EnterAsync(TimeSpan unreachable, CancellationToken cancellationToken)
    {
        List<string> actions = ["disruptive_commands_refused"];
        if (options.Value.SafeModeOnDemand)
        {
            try
            {
                var changed = await nodePools.ForceOnDemandAsync(cancellationToken);
                actions.AddRange(changed is null ? ["karpenter_not_installed"] : changed.Select(name => $"nodepool_on_demand:{name}"));
            }
            catch (Exception e) when (e is HttpOperationException or HttpRequestException)
            {
                // Safe mode still holds: no disruptive command runs, even though the NodePools could not be changed.
                LogOnDemandFailed(logger, e);
                actions.Add("nodepool_on_demand_failed");
            }
        }

        Active = true;
        _enteredAt = time.GetUtcNow();
        _unreachableSeconds = (int)unreachable.TotalSeconds;
        _unsent.Enqueue(new SafeModeReport(SafeModeReport.Entered, _enteredAt, SafeModeReport.PlatformUnreachable, _unreachableSeconds, actions));
        LogEntered(logger, _unreachableSeconds, string.Join(", ", actions));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Safe mode entered: the platform has been unreachable for {Seconds} s. Actions: {Actions}.")]
    private static partial void LogEntered(ILogger logger, int seconds, string actions);

    [LoggerMessage(Level = LogLevel.Error, Message = "Safe mode could not put the Karpenter NodePools on On-Demand (the Kubernetes API failed).")]
    private static partial void LogOnDemandFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not check the NodePools for a safe mode left over from before a restart; checking again before the next poll.")]
    private static partial void LogResumeCheckFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Safe mode left on the platform's command; {Count} NodePool(s) restored.")]
    private static partial void LogLeft(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Safe mode '{State}' reported to the platform.")]
    private static partial void LogReported(ILogger logger, string state);
}

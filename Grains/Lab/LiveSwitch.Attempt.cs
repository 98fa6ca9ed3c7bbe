using SpotOptimizer.Grains.Execution;
using SpotOptimizer.Grains.Interfaces.Lab;

namespace SpotOptimizer.Grains.Lab;

public sealed partial class LiveSwitch
{
    /// <summary>One run of a plan: what it has done so far (what a rollback must undo) and every step's report.</summary>
    private sealed class Attempt(TimeProvider time, Func<LiveSwitchStep, Task> onStep)
    {
        public List<LiveSwitchStep> Steps { get; } = [];

        public bool Stopped { get; set; }

        public List<MovedVolume> Detached { get; } = [];

        public string? SpotInstanceId { get; set; }

        public double? BootTimeMs { get; set; }

        public List<MovedVolume> OnSpot { get; } = [];

        /// <summary>Reports the step started, runs it through the executor, reports (and keeps) how it ended, timed on the product's clock.</summary>
        /// <param name="undo">A rollback step: success reads <see cref="LiveSwitchStatuses.RolledBack"/>.</param>
        public async Task<ExecutedAction> StepAsync(string name, string what, bool undo, Func<Task<ExecutedAction>> act)
        {
            var startedAt = time.GetUtcNow();
            var started = time.GetTimestamp();
            await onStep(new LiveSwitchStep(name, LiveSwitchStatuses.Started, startedAt, 0, what));
            var action = await act();
            var status = action switch
            {
                { Succeeded: false } => LiveSwitchStatuses.Failed,
                _ when undo => LiveSwitchStatuses.RolledBack,
                { Result: ExecutorResults.DryRun } => LiveSwitchStatuses.DryRun,
                _ => LiveSwitchStatuses.Ok,
            };
            var step = new LiveSwitchStep(name, status, startedAt, time.GetElapsedTime(started).TotalMilliseconds, action.Detail, action.ErrorCode);
            Steps.Add(step);
            await onStep(step);
            return action;
        }
    }
}

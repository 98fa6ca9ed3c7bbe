using SpotOptimizer.Cloud;
using SpotOptimizer.Grains.Execution;
using SpotOptimizer.Grains.Interfaces.Lab;

namespace SpotOptimizer.Grains.Lab;

/// <summary>
/// The Lab's live switch, the seed's physical test on one instance: stop it, detach its non-root EBS volumes, launch a
/// Spot instance of the chosen type in its zone, wait for it to boot, attach the volumes to it under the same device
/// names. Every change goes through the <see cref="CloudExecutor"/>: idempotency keys derived from the experiment key
/// (so a re-run after a crash repeats nothing and launches nothing new), dry runs under <see cref="ExecutionScope.DryRun"/>
/// (SAFE_MODE), one ledger entry per step. A failed step is undone in reverse, each undo reported as a step too.
/// A key is one attempt: after a failure, a new try needs a new key, as the old one replays the failure. A dry run and
/// a real run of the same key are kept apart.
/// </summary>
public sealed partial class LiveSwitch(ICloudProvider cloud, CloudExecutor executor, TimeProvider time)
{
    /// <summary>An experiment key must fit an EC2 tag value (256) with room to spare.</summary>
    public const int MaxExperimentKeyLength = 128;

    /// <summary>
    /// Reads the instance and its volumes and fixes the plan, or refuses (<see cref="LiveSwitchRefusals"/>) without
    /// changing anything. <paramref name="availabilityZone"/> must be the instance's: EBS volumes are zonal. Cloud read
    /// failures surface as <see cref="CloudException"/>.
    /// </summary>
    public async Task<LiveSwitchPlanning> PlanAsync(ExecutionScope scope, string experimentKey, string instanceId, string spotInstanceType, string availabilityZone,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(experimentKey);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(experimentKey.Length, MaxExperimentKeyLength, nameof(experimentKey));
        var instances = await cloud.Ec2.DescribeInstancesAsync(scope.Session, scope.Region, cancellationToken);
        var instance = instances.FirstOrDefault(i => i.InstanceId == instanceId);
        if (instance is null || instance.State is InstanceState.ShuttingDown or InstanceState.Terminated)
            return Refusal(LiveSwitchRefusals.InstanceNotFound, $"{instanceId} is not a live instance in {scope.Region}.");
        if (Refuse(scope, instance, availabilityZone) is { } refused) return refused;

        var attachments = await cloud.Volumes.DescribeAttachedVolumesAsync(scope.Session, scope.Region, instanceId, cancellationToken);
        // The root volume stays: the Spot instance boots from its own, and the data moves.
        var volumes = attachments.Where(a => a.Device != instance.RootDeviceName)
            .OrderBy(a => a.Device, StringComparer.Ordinal)
            .Select(a => new MovedVolume(a.VolumeId, a.Device))
            .ToList();
        // The instance's node group, else the one of the cluster's running most nodes in its zone: the Spot instance's template and subnets.
        var cluster = instances.Where(i => i.IsActive && i.ClusterName == scope.ClusterName)
            .Select(i => new NodePlacement(i.NodegroupName, i.AvailabilityZone));
        var nodegroup = LaunchNodegroup.Choose(instance.AvailabilityZone, [instance.NodegroupName], cluster, []);
        return new LiveSwitchPlanning(
            new LiveSwitchPlan(experimentKey, instanceId, instance.InstanceType, instance.AvailabilityZone, spotInstanceType, volumes, nodegroup), null, null);
    }

    /// <summary>
    /// Runs the plan, reporting each step to <paramref name="onStep"/> as it starts and as it ends. A failed step is
    /// rolled back (not under a dry run, which changed nothing). Anything but a refused cloud call (the database, a
    /// cancellation, a crash) propagates without a rollback: run the same plan again to continue where it stopped.
    /// </summary>
    public async Task<LiveSwitchResult> RunAsync(ExecutionScope scope, LiveSwitchPlan plan, Func<LiveSwitchStep, Task> onStep, CancellationToken cancellationToken)
    {
        var run = new Attempt(time, onStep);
        var stop = await run.StepAsync(LiveSwitchSteps.StopInstance, $"stop {plan.InstanceId}", undo: false,
            () => executor.StopInstanceAsync(scope, StepKey(scope, plan, "stop"), plan.InstanceId, cancellationToken));
        run.Stopped = MayHaveActed(stop);
        if (!stop.Succeeded) return await FailAsync(scope, plan, run, LiveSwitchSteps.StopInstance, stop, cancellationToken);

        foreach (var volume in plan.Volumes)
        {
            var detach = await run.StepAsync(LiveSwitchSteps.DetachVolume, $"detach {volume.VolumeId} ({volume.Device}) from {plan.InstanceId}", undo: false,
                () => executor.DetachVolumeAsync(scope, StepKey(scope, plan, $"detach/{volume.VolumeId}"), volume.VolumeId, cancellationToken));
            if (MayHaveActed(detach)) run.Detached.Add(volume);
            if (!detach.Succeeded) return await FailAsync(scope, plan, run, LiveSwitchSteps.DetachVolume, detach, cancellationToken);
        }

        var launch = await run.StepAsync(LiveSwitchSteps.LaunchSpot, $"launch Spot {plan.SpotInstanceType} in {plan.AvailabilityZone}", undo: false,
            () => executor.LaunchAsync(scope, StepKey(scope, plan, "launch"), InstanceLifecycle.Spot, plan.SpotInstanceType, plan.AvailabilityZone,
                LabTags.ForLiveSwitch(scope.ClusterName, plan.ExperimentKey, plan.InstanceId), cancellationToken, plan.Nodegroup));
        if (!launch.Succeeded) return await FailAsync(scope, plan, run, LiveSwitchSteps.LaunchSpot, launch, cancellationToken);
        run.SpotInstanceId = launch.InstanceId;

        var boot = await run.StepAsync(LiveSwitchSteps.Boot, $"boot {run.SpotInstanceId ?? "the Spot instance"}", undo: false,
            () => executor.WaitReadyAsync(scope, StepKey(scope, plan, "boot"), run.SpotInstanceId, cancellationToken));
        if (!boot.Succeeded) return await FailAsync(scope, plan, run, LiveSwitchSteps.Boot, boot, cancellationToken);
        if (boot.Result == ExecutorResults.Ok) run.BootTimeMs = run.Steps[^1].DurationMs;

        foreach (var volume in plan.Volumes)
        {
            var attach = await run.StepAsync(LiveSwitchSteps.AttachVolume, $"attach {volume.VolumeId} to {run.SpotInstanceId ?? "the Spot instance"} as {volume.Device}",
                undo: false, () => executor.AttachVolumeAsync(scope, StepKey(scope, plan, $"attach/{volume.VolumeId}"), volume.VolumeId, run.SpotInstanceId,
                    volume.Device, cancellationToken));
            if (MayHaveActed(attach)) run.OnSpot.Add(volume);
            if (!attach.Succeeded) return await FailAsync(scope, plan, run, LiveSwitchSteps.AttachVolume, attach, cancellationToken);
        }

        return new LiveSwitchResult(scope.DryRun ? LiveSwitchOutcomes.DryRun : LiveSwitchOutcomes.Switched, run.SpotInstanceId, run.BootTimeMs, null, null, null, run.Steps);
    }

    /// <summary>
    /// Whether a step may have changed the cloud: it succeeded, or it ran out of time after its call was sent (the stop,
    /// volume and boot steps wait on EC2 after calling it), so its undo is due too.
    /// </summary>
    private static bool MayHaveActed(ExecutedAction action) => action.Succeeded || action.ErrorCode == CloudErrorCodes.Timeout;

    /// <summary>
    /// The executor's idempotency keys are global: the Lab's prefix keeps these apart from the optimizer's, and a dry
    /// run's apart from the real run's, which would otherwise replay the dry run's steps instead of acting.
    /// </summary>
    private static string StepKey(ExecutionScope scope, LiveSwitchPlan plan, string step) =>
        $"lab/live-switch/{plan.ExperimentKey}/{(scope.DryRun ? "dry-run/" : "")}{step}";

    private static LiveSwitchPlanning? Refuse(ExecutionScope scope, Ec2Instance instance, string availabilityZone)
    {
        var instanceId = instance.InstanceId;
        if (instance.ClusterName != scope.ClusterName)
            return Refusal(LiveSwitchRefusals.OtherCluster, $"{instanceId} is not a node of cluster {scope.ClusterName}.");
        if (instance.Lifecycle == InstanceLifecycle.Spot)
            return Refusal(LiveSwitchRefusals.AlreadySpot, $"{instanceId} is a Spot instance already.");
        if (instance.State is not (InstanceState.Running or InstanceState.Stopped))
            return Refusal(LiveSwitchRefusals.NotSettled, $"{instanceId} is {instance.State}; a live switch starts from a running or stopped instance.");
        if (instance.AvailabilityZone != availabilityZone)
        {
            return Refusal(LiveSwitchRefusals.ZoneMismatch,
                $"{instanceId} runs in {instance.AvailabilityZone}: its EBS volumes can only be attached there, not in {availabilityZone}.");
        }

        return null;
    }

    private static LiveSwitchPlanning Refusal(string code, string reason) => new(null, code, reason);
}

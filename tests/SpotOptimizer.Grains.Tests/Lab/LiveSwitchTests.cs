using Microsoft.Extensions.DependencyInjection;
using SpotOptimizer.Cloud;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.Grains.Execution;
using SpotOptimizer.Grains.Interfaces.Clusters;
using SpotOptimizer.Grains.Interfaces.Lab;
using SpotOptimizer.Grains.Lab;
using SpotOptimizer.Tenancy;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Grains.Tests.Lab;

/// <summary>
/// The Lab's live switch against the simulated cloud through the real executor and database: the seed's physical test
/// end to end, its rollback, its dry run, a re-run after a crash and the zone rule. The simulator boots in 45 s and
/// stops in 20 s; the clock moves only while the switch waits, so those are exactly the times it measures.
/// </summary>
public sealed class LiveSwitchTests : IAsyncLifetime
{
    private const string Region = SimulatedWorld.DemoRegion;
    private const string DataVolume = "vol-0a1b2c3d4e5f60718";
    private const string RootVolume = "vol-0f0e0d0c0b0a09080";
    private const string DataDevice = "/dev/sdf";
    private const string SpotType = "c5.xlarge";

    private readonly WaitSkippingClock _clock = new(new DateTimeOffset(2026, 11, 2, 10, 0, 0, TimeSpan.Zero));
    private readonly StorageKind _storage = new StorageKind.Sqlite();
    private TestSilo _silo = null!;

    public async Task InitializeAsync() =>
        _silo = await TestSilo.StartAsync(await _storage.CreateAsync(), _clock, s => s
            .AddSimulatedCloud(7)
            .AddGrainServices()
            .Configure<ExecutorOptions>(o => o.ReadyPoll = TimeSpan.FromSeconds(1)));

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        await _storage.DisposeAsync();
    }

    private SimulatedCloud Cloud => _silo.Services.GetRequiredService<SimulatedCloud>();

    private LiveSwitch Switch => _silo.Services.GetRequiredService<LiveSwitch>();

    private SimulatedRegion World => Cloud.World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion(Region)!;

    [Fact]
    public async Task Run_Succeeds_OriginalStopped_VolumeOnTheSpotInstanceUnderTheSameDevice_BootTimeReported()
    {
        var (scope, organization, source) = await ArrangeAsync(dryRun: false);
        var plan = await PlanAsync(scope, "lab-exp-1", source);
        var reports = new List<LiveSwitchStep>();

        var result = await Switch.RunAsync(scope, plan, step => Record(reports, step), default);

        Assert.Equal([new MovedVolume(DataVolume, DataDevice)], plan.Volumes);
        Assert.Equal((LiveSwitchOutcomes.Switched, null, null), (result.Outcome, result.FailedStep, result.RolledBack));
        Assert.Equal(new SimulatedCloudOptions().BootTime.TotalMilliseconds, result.BootTimeMs);
        string[] forward = [LiveSwitchSteps.StopInstance, LiveSwitchSteps.DetachVolume, LiveSwitchSteps.LaunchSpot, LiveSwitchSteps.Boot, LiveSwitchSteps.AttachVolume];
        Assert.Equal(forward, result.Steps.Select(s => s.Name));
        Assert.All(result.Steps, s => Assert.Equal(LiveSwitchStatuses.Ok, s.Status));
        Assert.Equal(forward.SelectMany(name => new[] { (name, LiveSwitchStatuses.Started), (name, LiveSwitchStatuses.Ok) }), reports.Select(r => (r.Name, r.Status)));

        var instances = await DescribeAsync(scope);
        Assert.Equal(InstanceState.Stopped, instances[source.InstanceId].State);
        var spot = instances[result.SpotInstanceId!];
        Assert.Equal((InstanceLifecycle.Spot, SpotType, source.AvailabilityZone, InstanceState.Running),
            (spot.Lifecycle, spot.InstanceType, spot.AvailabilityZone, spot.State));
        Assert.Equal(("lab-exp-1", scope.ClusterName), (spot.Tags[LabTags.Experiment], spot.ClusterName));
        // Launched from the original's node group: its template (custom, or EKS's on its Auto Scaling group) and subnets.
        var group = World.FindCluster(scope.ClusterName)!.FindNodegroup(Assert.IsType<string>(source.NodegroupName))!;
        Assert.Equal((group.Name, group.Name), (plan.Nodegroup, spot.Tags[OptimizerNodes.NodegroupTag]));
        var launch = Assert.Single(Cloud.Calls, c => c.Operation == CloudActions.RunInstances && c.Succeeded && !c.Arguments.Contains("dryRun=True", StringComparison.Ordinal));
        Assert.Contains($"template={SimulatedNetwork.LaunchTemplateOf(SimulatedWorld.DemoAccountId, group).Id} ", launch.Arguments, StringComparison.Ordinal);
        Assert.Contains($"{source.AvailabilityZone}:{SimulatedNetwork.SubnetId(SimulatedWorld.DemoAccountId, source.AvailabilityZone)}", launch.Arguments, StringComparison.Ordinal);
        Assert.Equal(new VolumeAttachment(DataVolume, spot.InstanceId, DataDevice, VolumeAttachmentState.Attached), World.FindVolume(DataVolume)!.Attachment);
        Assert.Equal(source.InstanceId, World.FindVolume(RootVolume)!.Attachment!.InstanceId);

        var ledger = await _silo.Services.GetRequiredService<AuditQueries>().ListRecentAsync(organization, 50, default);
        Assert.Equal(
            ["executor.attach_volume", "executor.detach_volume", "executor.launch_spot", "executor.stop_instance", "executor.wait_ready"],
            ledger.Select(e => e.Action).Where(a => a.StartsWith("executor.", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Run_AttachFails_RolledBackInReverse_OriginalRunsWithItsVolume_SpotTerminated()
    {
        var (scope, _, source) = await ArrangeAsync(dryRun: false);
        var plan = await PlanAsync(scope, "lab-exp-2", source);
        Cloud.InjectFault(CloudActions.AttachVolume, CloudException.Unavailable());

        var result = await Switch.RunAsync(scope, plan, _ => Task.CompletedTask, default);

        Assert.Equal((LiveSwitchOutcomes.Failed, LiveSwitchSteps.AttachVolume, CloudErrorCodes.Unavailable, true),
            (result.Outcome, result.FailedStep, result.ErrorCode, result.RolledBack));
        Assert.Equal(
            [LiveSwitchSteps.TerminateSpot, LiveSwitchSteps.ReattachVolume, LiveSwitchSteps.StartInstance],
            result.Steps.SkipWhile(s => s.Status != LiveSwitchStatuses.Failed).Skip(1).Select(s => s.Name));
        Assert.All(result.Steps.SkipWhile(s => s.Status != LiveSwitchStatuses.Failed).Skip(1), s => Assert.Equal(LiveSwitchStatuses.RolledBack, s.Status));

        var instances = await DescribeAsync(scope);
        Assert.Equal(InstanceState.Running, instances[source.InstanceId].State);
        Assert.Contains(instances[result.SpotInstanceId!].State, new[] { InstanceState.ShuttingDown, InstanceState.Terminated });
        Assert.Equal(new VolumeAttachment(DataVolume, source.InstanceId, DataDevice, VolumeAttachmentState.Attached), World.FindVolume(DataVolume)!.Attachment);
    }

    [Fact]
    public async Task Run_StopRefused_FailsWithNothingToUndo()
    {
        var (scope, _, source) = await ArrangeAsync(dryRun: false);
        var plan = await PlanAsync(scope, "lab-exp-3", source);
        Cloud.InjectFault(CloudActions.StopInstances, new CloudException(CloudErrorCodes.MissingPermission(CloudActions.StopInstances), "denied"));

        var result = await Switch.RunAsync(scope, plan, _ => Task.CompletedTask, default);

        Assert.Equal((LiveSwitchOutcomes.Failed, LiveSwitchSteps.StopInstance, null), (result.Outcome, result.FailedStep, result.RolledBack));
        Assert.Equal([LiveSwitchSteps.StopInstance], result.Steps.Select(s => s.Name));
        Assert.Equal(InstanceState.Running, (await DescribeAsync(scope))[source.InstanceId].State);
    }

    [Fact]
    public async Task Run_DryRun_EveryStepReportedAsDryRun_WorldUnchanged()
    {
        var (scope, organization, source) = await ArrangeAsync(dryRun: true);
        var plan = await PlanAsync(scope, "lab-exp-4", source);
        var before = Cloud.World;

        var result = await Switch.RunAsync(scope, plan, _ => Task.CompletedTask, default);

        Assert.Equal((LiveSwitchOutcomes.DryRun, null, null), (result.Outcome, result.SpotInstanceId, result.BootTimeMs));
        Assert.Equal(5, result.Steps.Count);
        Assert.All(result.Steps, s => Assert.Equal(LiveSwitchStatuses.DryRun, s.Status));
        Assert.Same(before, Cloud.World);
        Assert.All(new[] { CloudActions.StopInstances, CloudActions.DetachVolume, CloudActions.RunInstances },
            action => Assert.Contains(Cloud.Calls, c => c.Operation == action && c.Arguments.Contains("dryRun=True", StringComparison.Ordinal)));
        var ledger = await _silo.Services.GetRequiredService<AuditQueries>().ListRecentAsync(organization, 50, default);
        Assert.Equal(5, ledger.Count(e => e.Action.StartsWith("executor.", StringComparison.Ordinal) && e.After!.Contains("\"dry_run\":true", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Run_DryRunThenForRealWithTheSameKey_TheRealRunActs()
    {
        var (dryScope, _, source) = await ArrangeAsync(dryRun: true);
        var plan = await PlanAsync(dryScope, "lab-exp-7", source);
        await Switch.RunAsync(dryScope, plan, _ => Task.CompletedTask, default);

        var result = await Switch.RunAsync(dryScope with { DryRun = false }, plan, _ => Task.CompletedTask, default);

        Assert.Equal(LiveSwitchOutcomes.Switched, result.Outcome);
        Assert.Equal(result.SpotInstanceId, World.FindVolume(DataVolume)!.Attachment!.InstanceId);
    }

    [Fact]
    public async Task Run_SameKeyAfterACrash_LaunchesNothingNew_AndFinishesTheSwitch()
    {
        var (scope, _, source) = await ArrangeAsync(dryRun: false);
        var plan = await PlanAsync(scope, "lab-exp-5", source);
        Cloud.InjectCrash(CloudActions.AttachVolume, "connection reset while attaching");

        await Assert.ThrowsAsync<InvalidOperationException>(() => Switch.RunAsync(scope, plan, _ => Task.CompletedTask, default));
        var resumed = await Switch.RunAsync(scope, plan, _ => Task.CompletedTask, default);

        Assert.Equal(LiveSwitchOutcomes.Switched, resumed.Outcome);
        Assert.Single(Cloud.Calls, c => c.Operation == CloudActions.RunInstances);
        Assert.Single(World.Instances, n => n.Instance.Tags.GetValueOrDefault(LabTags.Experiment) == "lab-exp-5");
        Assert.Equal(resumed.SpotInstanceId, World.FindVolume(DataVolume)!.Attachment!.InstanceId);
        Assert.Contains("done at", resumed.Steps.Single(s => s.Name == LiveSwitchSteps.LaunchSpot).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_ZoneOtherThanTheInstances_RefusedBeforeAnyChange()
    {
        var (scope, _, source) = await ArrangeAsync(dryRun: false);
        var otherZone = World.AvailabilityZones.First(z => z != source.AvailabilityZone);

        var planning = await Switch.PlanAsync(scope, "lab-exp-6", source.InstanceId, SpotType, otherZone, default);

        Assert.Equal((null, LiveSwitchRefusals.ZoneMismatch), (planning.Plan, planning.Refusal));
        Assert.Contains(source.AvailabilityZone, planning.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(Cloud.Calls, c => c.Operation is CloudActions.StopInstances or CloudActions.DetachVolume or CloudActions.RunInstances);
    }

    /// <summary>A tenant's scope on the demo world's first cluster, and one of its running On-Demand nodes with a root and a data volume.</summary>
    private async Task<(ExecutionScope Scope, string Organization, Ec2Instance Source)> ArrangeAsync(bool dryRun)
    {
        var signup = await _silo.Services.GetRequiredService<IdentityStore>().SignupAsync("Acme", $"lab{Guid.NewGuid():N}@acme.io", "hash", Roles.Client, default);
        var role = Cloud.DeployCustomerStack(SimulatedWorld.DemoAccountId, "external-id-lab");
        var session = await Cloud.AssumeRoleAsync(new RoleRequest(role.ToString(), "external-id-lab", "lab"));
        var cluster = World.Clusters[0].Cluster.Name;
        var source = World.NodesOf(cluster).Select(n => n.Instance)
            .First(i => i.Lifecycle == InstanceLifecycle.OnDemand && i.State == InstanceState.Running);
        Cloud.Update(world => world.UpdateRegion(SimulatedWorld.DemoAccountId, Region, r => r
            .WithVolume(new SimulatedVolume(RootVolume, source.AvailabilityZone,
                new VolumeAttachment(RootVolume, source.InstanceId, source.RootDeviceName!, VolumeAttachmentState.Attached)))
            .WithVolume(new SimulatedVolume(DataVolume, source.AvailabilityZone,
                new VolumeAttachment(DataVolume, source.InstanceId, DataDevice, VolumeAttachmentState.Attached)))));
        var scope = new ExecutionScope(signup.Organization.Id, "user:lab-admin", "c-lab", Region, cluster, session, dryRun, []);
        // wait_ready asks the cluster's grain whether an agent lists the new node. Activated here, as a live cluster's
        // grain is: on this clock the placement's 30 s timeout would otherwise be skipped over inside the boot.
        Assert.Null(await _silo.Grains.GetGrain<IClusterGrain>(scope.ClusterId).GetInventory(scope.OrganizationId));
        return (scope, signup.Organization.Id, source);
    }

    private async Task<LiveSwitchPlan> PlanAsync(ExecutionScope scope, string key, Ec2Instance source)
    {
        var planning = await Switch.PlanAsync(scope, key, source.InstanceId, SpotType, source.AvailabilityZone, default);
        return planning.Plan ?? throw new InvalidOperationException($"The plan was refused: {planning.Refusal} {planning.Reason}");
    }

    private async Task<Dictionary<string, Ec2Instance>> DescribeAsync(ExecutionScope scope) =>
        (await Cloud.Ec2.DescribeInstancesAsync(scope.Session, Region)).ToDictionary(i => i.InstanceId, StringComparer.Ordinal);

    private static Task Record(List<LiveSwitchStep> reports, LiveSwitchStep step)
    {
        reports.Add(step);
        return Task.CompletedTask;
    }
}

using SpotOptimizer.Cloud.Simulation;

namespace SpotOptimizer.Cloud.Tests.Simulation;

/// <summary>StopInstances and StartInstances in the simulator: EC2's state machine, on the simulator's clock.</summary>
public sealed class SimulatedStopStartTests
{
    private const string Region = SimulatedTenant.Region;

    private static async Task<(SimulatedTenant Tenant, Ec2Instance Instance)> RunningOnDemandAsync()
    {
        var tenant = await SimulatedTenant.StartAsync();
        var instance = (await tenant.Cloud.Ec2.DescribeInstancesAsync(tenant.Session, Region))
            .First(i => i.State == InstanceState.Running && i.Lifecycle == InstanceLifecycle.OnDemand);
        return (tenant, instance);
    }

    private static async Task<Ec2Instance> DescribeAsync(SimulatedTenant tenant, string instanceId) =>
        (await tenant.Cloud.Ec2.DescribeInstancesAsync(tenant.Session, Region)).Single(i => i.InstanceId == instanceId);

    [Fact]
    public async Task StopInstances_Running_StoppingThenStoppedAfterTheStopTime()
    {
        var (tenant, instance) = await RunningOnDemandAsync();

        var changes = await tenant.Cloud.Instances.StopInstancesAsync(tenant.Session, Region, [instance.InstanceId], dryRun: false);

        Assert.Equal([new InstanceStateChange(instance.InstanceId, InstanceState.Running, InstanceState.Stopping)], changes);
        Assert.Equal(InstanceState.Stopping, (await DescribeAsync(tenant, instance.InstanceId)).State);
        tenant.Clock.Advance(new SimulatedCloudOptions().StopTime);
        Assert.Equal(InstanceState.Stopped, (await DescribeAsync(tenant, instance.InstanceId)).State);
    }

    [Fact]
    public async Task StopInstances_AlreadyStoppingOrStopped_ChangesNothing()
    {
        var (tenant, instance) = await RunningOnDemandAsync();
        await tenant.Cloud.Instances.StopInstancesAsync(tenant.Session, Region, [instance.InstanceId], dryRun: false);

        var again = await tenant.Cloud.Instances.StopInstancesAsync(tenant.Session, Region, [instance.InstanceId], dryRun: false);
        tenant.Clock.Advance(TimeSpan.FromMinutes(1));
        var stopped = await tenant.Cloud.Instances.StopInstancesAsync(tenant.Session, Region, [instance.InstanceId], dryRun: false);

        Assert.Equal(new InstanceStateChange(instance.InstanceId, InstanceState.Stopping, InstanceState.Stopping), Assert.Single(again));
        Assert.Equal(new InstanceStateChange(instance.InstanceId, InstanceState.Stopped, InstanceState.Stopped), Assert.Single(stopped));
    }

    [Fact]
    public async Task StopInstances_OneTimeSpotInstance_ThrowsUnsupportedOperation()
    {
        var tenant = await SimulatedTenant.StartAsync();
        var spot = (await tenant.Cloud.Ec2.DescribeInstancesAsync(tenant.Session, Region)).First(i => i.Lifecycle == InstanceLifecycle.Spot && i.State == InstanceState.Running);

        var error = await Assert.ThrowsAsync<CloudException>(() => tenant.Cloud.Instances.StopInstancesAsync(tenant.Session, Region, [spot.InstanceId], dryRun: false));

        Assert.Equal((CloudErrorCodes.InvalidRequest, "UnsupportedOperation"), (error.Code, error.ProviderCode));
        Assert.Equal(InstanceState.Running, (await DescribeAsync(tenant, spot.InstanceId)).State);
    }

    [Fact]
    public async Task StopInstances_DryRun_AnswersTheChangeButStopsNothing()
    {
        var (tenant, instance) = await RunningOnDemandAsync();
        var before = tenant.Cloud.World;

        var changes = await tenant.Cloud.Instances.StopInstancesAsync(tenant.Session, Region, [instance.InstanceId], dryRun: true);

        Assert.Equal(InstanceState.Stopping, Assert.Single(changes).Current);
        Assert.Same(before, tenant.Cloud.World);
    }

    [Fact]
    public async Task StopInstances_UnknownInstance_ThrowsNotFound()
    {
        var tenant = await SimulatedTenant.StartAsync();

        var error = await Assert.ThrowsAsync<CloudException>(() => tenant.Cloud.Instances.StopInstancesAsync(tenant.Session, Region, ["i-0000000000000dead"], dryRun: false));

        Assert.Equal((CloudErrorCodes.NotFound, "InvalidInstanceID.NotFound"), (error.Code, error.ProviderCode));
    }

    [Fact]
    public async Task StartInstances_Stopped_PendingThenRunningAfterTheBootTime_LaunchTimeReset()
    {
        var (tenant, instance) = await RunningOnDemandAsync();
        await tenant.Cloud.Instances.StopInstancesAsync(tenant.Session, Region, [instance.InstanceId], dryRun: false);
        tenant.Clock.Advance(TimeSpan.FromMinutes(1));

        var changes = await tenant.Cloud.Instances.StartInstancesAsync(tenant.Session, Region, [instance.InstanceId], dryRun: false);

        Assert.Equal([new InstanceStateChange(instance.InstanceId, InstanceState.Stopped, InstanceState.Pending)], changes);
        var started = await DescribeAsync(tenant, instance.InstanceId);
        Assert.Equal((InstanceState.Pending, tenant.Clock.GetUtcNow()), (started.State, started.LaunchTime));
        tenant.Clock.Advance(new SimulatedCloudOptions().BootTime);
        Assert.Equal(InstanceState.Running, (await DescribeAsync(tenant, instance.InstanceId)).State);
    }

    [Fact]
    public async Task StartInstances_StillStopping_ThrowsIncorrectInstanceState()
    {
        var (tenant, instance) = await RunningOnDemandAsync();
        await tenant.Cloud.Instances.StopInstancesAsync(tenant.Session, Region, [instance.InstanceId], dryRun: false);

        var error = await Assert.ThrowsAsync<CloudException>(() => tenant.Cloud.Instances.StartInstancesAsync(tenant.Session, Region, [instance.InstanceId], dryRun: false));

        Assert.Equal((CloudErrorCodes.InvalidRequest, "IncorrectInstanceState"), (error.Code, error.ProviderCode));
    }

    [Fact]
    public async Task StartInstances_Running_ChangesNothing()
    {
        var (tenant, instance) = await RunningOnDemandAsync();

        var changes = await tenant.Cloud.Instances.StartInstancesAsync(tenant.Session, Region, [instance.InstanceId], dryRun: false);

        Assert.Equal([new InstanceStateChange(instance.InstanceId, InstanceState.Running, InstanceState.Running)], changes);
        Assert.Equal(instance.LaunchTime, (await DescribeAsync(tenant, instance.InstanceId)).LaunchTime);
    }

    [Theory]
    [InlineData(CloudActions.StopInstances)]
    [InlineData(CloudActions.StartInstances)]
    public async Task InjectFault_ByActionName_FailsThatCall(string action)
    {
        var (tenant, instance) = await RunningOnDemandAsync();
        tenant.Cloud.InjectFault(action, CloudException.Unavailable());

        var error = await Assert.ThrowsAsync<CloudException>(() => action == CloudActions.StopInstances
            ? tenant.Cloud.Instances.StopInstancesAsync(tenant.Session, Region, [instance.InstanceId], dryRun: false)
            : tenant.Cloud.Instances.StartInstancesAsync(tenant.Session, Region, [instance.InstanceId], dryRun: false));

        Assert.Equal((CloudErrorCodes.Unavailable, action), (error.Code, error.Operation));
        Assert.Contains(tenant.Cloud.Calls, c => c.Operation == action && c.Outcome == CloudErrorCodes.Unavailable);
    }
}

using SpotOptimizer.Cloud.Simulation;

namespace SpotOptimizer.Cloud.Tests.Simulation;

/// <summary>EBS volumes in the simulator: zonal, attached to one instance at a time, under a free device name.</summary>
public sealed class SimulatedVolumeTests
{
    private const string Region = SimulatedTenant.Region;
    private const string Volume = "vol-0a1b2c3d4e5f60718";

    private static async Task<(SimulatedTenant Tenant, Ec2Instance Instance)> WithAvailableVolumeAsync(Func<Ec2Instance, string>? zone = null,
        IEnumerable<string>? allowedActions = null)
    {
        var tenant = await SimulatedTenant.StartAsync(allowedActions: allowedActions);
        var instance = tenant.Cloud.World.FindAccount(tenant.AccountId)!.FindRegion(Region)!.Instances
            .Select(n => n.Instance).First(i => i.State == InstanceState.Running && i.Lifecycle == InstanceLifecycle.OnDemand);
        tenant.Cloud.Update(world => world.UpdateRegion(tenant.AccountId, Region, r =>
            r.WithVolume(new SimulatedVolume(Volume, zone?.Invoke(instance) ?? instance.AvailabilityZone, null))));
        return (tenant, instance);
    }

    private static Task<VolumeAttachment> AttachAsync(SimulatedTenant tenant, string instanceId, string device = "/dev/sdf", bool dryRun = false) =>
        tenant.Cloud.Volumes.AttachVolumeAsync(tenant.Session, Region, Volume, instanceId, device, dryRun);

    [Fact]
    public async Task AttachVolume_AvailableVolumeInTheInstancesZone_AttachesUnderTheDevice()
    {
        var (tenant, instance) = await WithAvailableVolumeAsync();

        var attaching = await AttachAsync(tenant, instance.InstanceId);

        Assert.Equal(new VolumeAttachment(Volume, instance.InstanceId, "/dev/sdf", VolumeAttachmentState.Attaching), attaching);
        Assert.Equal([attaching with { State = VolumeAttachmentState.Attached }],
            await tenant.Cloud.Volumes.DescribeAttachedVolumesAsync(tenant.Session, Region, instance.InstanceId));
    }

    [Fact]
    public async Task AttachVolume_VolumeInAnotherZone_ThrowsZoneMismatch()
    {
        var (tenant, instance) = await WithAvailableVolumeAsync(i => i.AvailabilityZone == "us-east-1a" ? "us-east-1b" : "us-east-1a");

        var error = await Assert.ThrowsAsync<CloudException>(() => AttachAsync(tenant, instance.InstanceId));

        Assert.Equal((CloudErrorCodes.InvalidRequest, "InvalidVolume.ZoneMismatch"), (error.Code, error.ProviderCode));
        Assert.Null(tenant.Cloud.World.FindAccount(tenant.AccountId)!.FindRegion(Region)!.FindVolume(Volume)!.Attachment);
    }

    [Fact]
    public async Task AttachVolume_AlreadyAttached_ThrowsVolumeInUse()
    {
        var (tenant, instance) = await WithAvailableVolumeAsync();
        await AttachAsync(tenant, instance.InstanceId);

        var error = await Assert.ThrowsAsync<CloudException>(() => AttachAsync(tenant, instance.InstanceId, "/dev/sdg"));

        Assert.Equal((CloudErrorCodes.InvalidRequest, "VolumeInUse"), (error.Code, error.ProviderCode));
    }

    [Fact]
    public async Task AttachVolume_UnderTheRootDevice_ThrowsInvalidParameterValue()
    {
        var (tenant, instance) = await WithAvailableVolumeAsync();

        var error = await Assert.ThrowsAsync<CloudException>(() => AttachAsync(tenant, instance.InstanceId, instance.RootDeviceName!));

        Assert.Equal((CloudErrorCodes.InvalidRequest, "InvalidParameterValue"), (error.Code, error.ProviderCode));
    }

    [Fact]
    public async Task AttachVolume_StoppingInstance_ThrowsIncorrectInstanceState_StoppedOneAccepts()
    {
        var (tenant, instance) = await WithAvailableVolumeAsync();
        await tenant.Cloud.Instances.StopInstancesAsync(tenant.Session, Region, [instance.InstanceId], dryRun: false);

        var error = await Assert.ThrowsAsync<CloudException>(() => AttachAsync(tenant, instance.InstanceId));
        tenant.Clock.Advance(TimeSpan.FromMinutes(1));
        var attached = await AttachAsync(tenant, instance.InstanceId);

        Assert.Equal((CloudErrorCodes.InvalidRequest, "IncorrectInstanceState"), (error.Code, error.ProviderCode));
        Assert.Equal(instance.InstanceId, attached.InstanceId);
    }

    [Fact]
    public async Task AttachVolume_DryRun_ValidatesButAttachesNothing()
    {
        var (tenant, instance) = await WithAvailableVolumeAsync();
        var before = tenant.Cloud.World;

        var wouldAttach = await AttachAsync(tenant, instance.InstanceId, dryRun: true);
        var refused = await Assert.ThrowsAsync<CloudException>(() => AttachAsync(tenant, instance.InstanceId, instance.RootDeviceName!, dryRun: true));

        Assert.Equal(VolumeAttachmentState.Attaching, wouldAttach.State);
        Assert.Equal("InvalidParameterValue", refused.ProviderCode);
        Assert.Same(before, tenant.Cloud.World);
    }

    [Fact]
    public async Task DetachVolume_Attached_VolumeBecomesAvailable_AndASecondDetachIsRefused()
    {
        var (tenant, instance) = await WithAvailableVolumeAsync();
        await AttachAsync(tenant, instance.InstanceId);

        var detaching = await tenant.Cloud.Volumes.DetachVolumeAsync(tenant.Session, Region, Volume, dryRun: false);
        var again = await Assert.ThrowsAsync<CloudException>(() => tenant.Cloud.Volumes.DetachVolumeAsync(tenant.Session, Region, Volume, dryRun: false));

        Assert.Equal(new VolumeAttachment(Volume, instance.InstanceId, "/dev/sdf", VolumeAttachmentState.Detaching), detaching);
        Assert.Empty(await tenant.Cloud.Volumes.DescribeAttachedVolumesAsync(tenant.Session, Region, instance.InstanceId));
        Assert.Equal((CloudErrorCodes.InvalidRequest, "IncorrectState"), (again.Code, again.ProviderCode));
    }

    [Fact]
    public async Task AttachVolume_RoleWithoutIt_ThrowsMissingPermission()
    {
        var (tenant, instance) = await WithAvailableVolumeAsync(allowedActions: RequiredPermissions.Actions.Except([CloudActions.AttachVolume]));

        var error = await Assert.ThrowsAsync<CloudException>(() => AttachAsync(tenant, instance.InstanceId));

        Assert.Equal(CloudErrorCodes.MissingPermission(CloudActions.AttachVolume), error.Code);
    }

    [Theory]
    [InlineData(CloudActions.AttachVolume)]
    [InlineData(CloudActions.DescribeVolumes)]
    public async Task InjectFault_ByActionName_FailsThatCall(string action)
    {
        var (tenant, instance) = await WithAvailableVolumeAsync();
        tenant.Cloud.InjectFault(action, CloudException.Throttled());

        var error = await Assert.ThrowsAsync<CloudException>(() => action == CloudActions.AttachVolume
            ? AttachAsync(tenant, instance.InstanceId)
            : tenant.Cloud.Volumes.DescribeAttachedVolumesAsync(tenant.Session, Region, instance.InstanceId));

        Assert.Equal((CloudErrorCodes.Throttled, action), (error.Code, error.Operation));
    }
}

using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.Cloud.Tests.Simulation;

namespace SpotOptimizer.Cloud.Tests.Events;

/// <summary>The customer stack's EventBridge rule and queue in the simulator: what lands there, and SQS's delivery rules.</summary>
public sealed class SimulatedInstanceEventsTests
{
    private const string Region = SimulatedTenant.Region;

    private static string QueueUrl(SimulatedTenant tenant) => InstanceEventQueue.UrlFor(Region, tenant.AccountId);

    private static async Task<Ec2Instance> SpotAsync(SimulatedTenant tenant) =>
        (await tenant.Cloud.Ec2.DescribeInstancesAsync(tenant.Session, Region)).First(i => i.Lifecycle == InstanceLifecycle.Spot && i.State == InstanceState.Running);

    [Fact]
    public async Task InterruptSpotInstance_EnqueuesTheWarningNow_AndTheShutdownWhenItRunsOut()
    {
        var tenant = await SimulatedTenant.StartAsync();
        var spot = await SpotAsync(tenant);
        var now = tenant.Clock.GetUtcNow();

        tenant.Cloud.InterruptSpotInstance(tenant.AccountId, Region, spot.InstanceId);

        var first = await tenant.Cloud.Events.ReceiveAsync(tenant.Session, Region, QueueUrl(tenant), InstanceEventQueue.MaxWait);
        var warning = Assert.Single(first.Events);
        Assert.Equal((InstanceEventKind.InterruptionWarning, spot.InstanceId, Region, now, "terminate"),
            (warning.Kind, warning.InstanceId, warning.Region, warning.Time, warning.InstanceAction));
        Assert.Empty(first.Malformed);

        await tenant.Cloud.Events.AcknowledgeAsync(tenant.Session, Region, QueueUrl(tenant), first.ReceiptHandles);
        tenant.Clock.Advance(SimulatedCloud.InterruptionWarning);
        var later = await tenant.Cloud.Events.ReceiveAsync(tenant.Session, Region, QueueUrl(tenant), TimeSpan.Zero);
        var shutdown = Assert.Single(later.Events);
        Assert.Equal((InstanceEventKind.StateChange, spot.InstanceId, "shutting-down"), (shutdown.Kind, shutdown.InstanceId, shutdown.State));
    }

    [Fact]
    public async Task RebalanceRecommendation_IsEnqueuedAlone()
    {
        var tenant = await SimulatedTenant.StartAsync();
        var spot = await SpotAsync(tenant);

        tenant.Cloud.InterruptSpotInstance(tenant.AccountId, Region, spot.InstanceId, InterruptionKind.RebalanceRecommendation);
        tenant.Clock.Advance(TimeSpan.FromMinutes(5));

        var batch = await tenant.Cloud.Events.ReceiveAsync(tenant.Session, Region, QueueUrl(tenant), TimeSpan.Zero);
        Assert.Equal(InstanceEventKind.RebalanceRecommendation, Assert.Single(batch.Events).Kind);
    }

    [Fact]
    public async Task TerminateInstances_EnqueuesAStateChange()
    {
        var tenant = await SimulatedTenant.StartAsync();
        var victim = (await tenant.Cloud.Ec2.DescribeInstancesAsync(tenant.Session, Region)).First(i => i.State == InstanceState.Running);

        await tenant.Cloud.Instances.TerminateInstancesAsync(tenant.Session, Region, [victim.InstanceId], dryRun: false);

        var batch = await tenant.Cloud.Events.ReceiveAsync(tenant.Session, Region, QueueUrl(tenant), TimeSpan.Zero);
        Assert.Equal((victim.InstanceId, "shutting-down"), (Assert.Single(batch.Events).InstanceId, batch.Events[0].State));
    }

    [Fact]
    public async Task UnacknowledgedMessage_ComesBackAfterTheVisibilityTimeout_WithTheSameEventId()
    {
        var tenant = await SimulatedTenant.StartAsync();
        tenant.Cloud.InterruptSpotInstance(tenant.AccountId, Region, (await SpotAsync(tenant)).InstanceId, InterruptionKind.RebalanceRecommendation);

        var first = Assert.Single((await tenant.Cloud.Events.ReceiveAsync(tenant.Session, Region, QueueUrl(tenant), TimeSpan.Zero)).Events);
        Assert.Empty((await tenant.Cloud.Events.ReceiveAsync(tenant.Session, Region, QueueUrl(tenant), TimeSpan.Zero)).Events);
        tenant.Clock.Advance(SimulatedEventQueue.VisibilityTimeout);
        var again = Assert.Single((await tenant.Cloud.Events.ReceiveAsync(tenant.Session, Region, QueueUrl(tenant), TimeSpan.Zero)).Events);

        Assert.Equal(first.EventId, again.EventId);
        Assert.NotEqual(first.ReceiptHandle, again.ReceiptHandle);
        await tenant.Cloud.Events.AcknowledgeAsync(tenant.Session, Region, QueueUrl(tenant), [again.ReceiptHandle]);
        tenant.Clock.Advance(SimulatedEventQueue.VisibilityTimeout);
        Assert.Empty((await tenant.Cloud.Events.ReceiveAsync(tenant.Session, Region, QueueUrl(tenant), TimeSpan.Zero)).Events);
    }

    [Fact]
    public async Task ForeignMessage_IsReceivedAsMalformed()
    {
        var tenant = await SimulatedTenant.StartAsync();

        Assert.True(tenant.Cloud.SendQueueMessage(tenant.AccountId, Region, "hello"));

        var batch = await tenant.Cloud.Events.ReceiveAsync(tenant.Session, Region, QueueUrl(tenant), TimeSpan.Zero);
        Assert.Empty(batch.Events);
        Assert.StartsWith("not JSON", Assert.Single(batch.Malformed).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoStackInTheRegion_NoQueue_NothingEnqueued()
    {
        var tenant = await SimulatedTenant.StartAsync();
        const string other = "eu-west-1";

        var error = await Assert.ThrowsAsync<CloudException>(() => tenant.Cloud.Events.ReceiveAsync(tenant.Session, other, InstanceEventQueue.UrlFor(other, tenant.AccountId), TimeSpan.Zero));

        Assert.Equal((CloudErrorCodes.NotFound, "AWS.SimpleQueueService.NonExistentQueue"), (error.Code, error.ProviderCode));
        Assert.False(tenant.Cloud.SendQueueMessage(tenant.AccountId, other, "{}"));
    }

    [Fact]
    public async Task RoleWithoutReceiveMessage_IsDenied()
    {
        var tenant = await SimulatedTenant.StartAsync(allowedActions: RequiredPermissions.Actions.Except([CloudActions.ReceiveMessage]));

        var error = await Assert.ThrowsAsync<CloudException>(() => tenant.Cloud.Events.ReceiveAsync(tenant.Session, Region, QueueUrl(tenant), TimeSpan.Zero));

        Assert.Equal(CloudErrorCodes.MissingPermission(CloudActions.ReceiveMessage), error.Code);
    }

    [Fact]
    public async Task AnotherAccountsQueue_IsDenied()
    {
        var tenant = await SimulatedTenant.StartAsync();

        var error = await Assert.ThrowsAsync<CloudException>(() =>
            tenant.Cloud.Events.ReceiveAsync(tenant.Session, Region, InstanceEventQueue.UrlFor(Region, "999988887777"), TimeSpan.Zero));

        Assert.Equal(CloudErrorCodes.MissingPermission(CloudActions.ReceiveMessage), error.Code);
    }

    [Fact]
    public async Task DeletingTheStack_DeletesTheQueue()
    {
        var tenant = await SimulatedTenant.StartAsync();
        tenant.Cloud.InterruptSpotInstance(tenant.AccountId, Region, (await SpotAsync(tenant)).InstanceId);

        Assert.True(tenant.Cloud.DeleteCustomerStack(tenant.AccountId));

        Assert.Empty(tenant.Cloud.World.FindAccount(tenant.AccountId)!.EventQueues);
    }
}

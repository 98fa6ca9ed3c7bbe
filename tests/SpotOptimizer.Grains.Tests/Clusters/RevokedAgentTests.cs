using Microsoft.Extensions.DependencyInjection;
using Orleans;
using SpotOptimizer.Cloud;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.Grains;
using SpotOptimizer.Grains.Clusters;
using SpotOptimizer.Grains.Execution;
using SpotOptimizer.Grains.Interfaces.Clusters;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Grains.Tests.Clusters;

/// <summary>
/// A revoked agent token stops disruption of the cluster: the executor refuses to drain its nodes (through the agent
/// or the cloud) and the hibernation loop does not put it to sleep, until it is connected again.
/// </summary>
public abstract class RevokedAgentTests(StorageKind storage) : IAsyncLifetime
{
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 4, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly StorageKind _storage = storage;
    private TestSilo _silo = null!;

    public async Task InitializeAsync() =>
        _silo = await TestSilo.StartAsync(await _storage.CreateAsync(), _clock, services => services.AddSimulatedCloud(7).AddGrainServices());

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        await _storage.DisposeAsync();
    }

    [SkippableFact]
    public async Task Drain_RevokedCluster_RefusedAndTheNodeUntouched_ConnectedAgainDrainsThroughTheCloud()
    {
        var (organizationId, _, cluster) = await DemoCluster.LinkAsync(_silo, connect: true);
        var grain = _silo.Grains.GetGrain<IClusterGrain>(cluster.ClusterId);
        var cloud = _silo.Services.GetRequiredService<SimulatedCloud>();
        var node = Region(cloud).Instances.First(n => n.Instance.ClusterName == cluster.Name && n.TerminatedAt is null).Instance.InstanceId;
        var role = cloud.DeployCustomerStack(SimulatedWorld.DemoAccountId, "external-id-revoked");
        var session = await cloud.AssumeRoleAsync(new RoleRequest(role.ToString(), "external-id-revoked", "test"));
        var scope = new ExecutionScope(organizationId, "system:test", cluster.ClusterId, "us-east-1", cluster.Name, session, false, ["kube-system"]);
        var executor = _silo.Services.GetRequiredService<CloudExecutor>();
        await grain.RevokeAgentToken(organizationId, "user:test");

        var refused = await executor.DrainAsync(scope, "job-r/0/drain", node, default);
        Assert.Equal((ExecutorResults.Failed, AgentDrainCodes.TokenRevoked), (refused.Result, refused.ErrorCode));
        Assert.DoesNotContain(cloud.Calls, c => c.Operation == CloudActions.DrainNode);

        await grain.Connect(organizationId, "user:test");
        var drained = await executor.DrainAsync(scope, "job-r/0/drain", node, default);
        Assert.Equal(ExecutorResults.Ok, drained.Result);
    }

    [SkippableFact]
    public async Task Hibernation_RevokedCluster_NotPutToSleep()
    {
        var (organizationId, _, cluster) = await DemoCluster.LinkAsync(_silo, connect: true);
        var grain = _silo.Grains.GetGrain<IClusterGrain>(cluster.ClusterId);
        await grain.RevokeAgentToken(organizationId, "user:test");

        await grain.ConfigureHibernation(organizationId, "user:test", new HibernationPatch(new int[168], "UTC", Prewarm: false));
        _clock.Advance(TimeSpan.FromMinutes(1));
        await grain.TickAsync(ClusterGrain.HibernationReminder, _clock.GetUtcNow(), TimeSpan.FromMinutes(1));

        Assert.Equal(ClusterPower.Awake, (await grain.GetHibernation(organizationId))!.Power);
        Assert.All(Region(_silo.Services.GetRequiredService<SimulatedCloud>()).FindCluster(cluster.Name)!.Nodegroups, g => Assert.True(g.Scaling.DesiredSize > 0));
    }

    private static SimulatedRegion Region(SimulatedCloud cloud) => cloud.World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion("us-east-1")!;
}

public sealed class SqliteRevokedAgentTests() : RevokedAgentTests(new StorageKind.Sqlite());

public sealed class PostgresRevokedAgentTests() : RevokedAgentTests(new StorageKind.Postgres());

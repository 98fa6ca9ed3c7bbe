using System.Data.Common;
using SpotOptimizer.Cloud.Simulation;

namespace SpotOptimizer.Cloud.Tests.Simulation.WorldStore;

/// <summary>
/// What makes the simulated AWS one cloud for a deployment: clouds over one database (one per silo process) share the
/// world, the sessions and the launches, and a cloud started later (a restart) finds them. Run on each database.
/// </summary>
public abstract class RelationalWorldStoreTests
{
    private const string Account = SimulatedWorld.DemoAccountId;
    private const string Region = SimulatedWorld.DemoRegion;
    private const string ExternalId = SimulatedTenant.ExternalId;

    private readonly TestClock _clock = new();

    /// <summary>A fresh database with the simulated world's schema applied.</summary>
    protected abstract Task<Func<CancellationToken, Task<DbConnection>>> CreateDatabaseAsync();

    [SkippableFact]
    public async Task DeployCustomerStack_OnOneProcess_OtherProcessSeesTheRole()
    {
        var database = await CreateDatabaseAsync();
        var (first, second) = (Cloud(database), Cloud(database));
        Assert.Null(second.World.FindAccount(Account)!.FindRole(SimulatedCloud.DefaultRoleName));

        var arn = first.DeployCustomerStack(Account, ExternalId);

        Assert.NotNull(second.World.FindAccount(Account)!.FindRole(SimulatedCloud.DefaultRoleName));
        Assert.Equal(Account, (await second.AssumeRoleAsync(new RoleRequest(arn.ToString(), ExternalId, "discovery"))).AccountId);
    }

    [SkippableFact]
    public async Task AssumeRole_OnOneProcess_SessionAuthenticatesOnTheOther()
    {
        var database = await CreateDatabaseAsync();
        var (first, second) = (Cloud(database), Cloud(database));
        var session = await AssumeAsync(first);

        Assert.NotEmpty(await second.Ec2.DescribeInstancesAsync(session, Region));
        var forged = session with { Credentials = session.Credentials with { SecretAccessKey = "guess" } };
        var error = await Assert.ThrowsAsync<CloudException>(() => second.Ec2.DescribeInstancesAsync(forged, Region));
        Assert.Equal(CloudErrorCodes.SessionInvalid, error.Code);
    }

    [SkippableFact]
    public async Task Restart_NewCloudOverSameDatabase_KeepsRoleSessionAndLaunches()
    {
        var database = await CreateDatabaseAsync();
        var before = Cloud(database);
        var session = await AssumeAsync(before);
        var launched = Assert.Single((await before.Instances.RunInstancesAsync(session, Region, Launch("plan-1-step-1"))).Instances);
        _clock.Advance(TimeSpan.FromMinutes(10));

        var after = Cloud(database);

        Assert.Contains(await after.Ec2.DescribeInstancesAsync(session, Region), i => i.InstanceId == launched.InstanceId);
        var again = await after.Instances.RunInstancesAsync(session, Region, Launch("plan-1-step-1"));
        Assert.Equal(launched.InstanceId, Assert.Single(again.Instances).InstanceId);
        Assert.Equal(InstanceIds(before.World), InstanceIds(after.World));
    }

    [SkippableFact]
    public async Task RunInstances_ConcurrentlyOnThreeProcesses_NoLaunchLost()
    {
        var database = await CreateDatabaseAsync();
        SimulatedCloud[] clouds = [Cloud(database), Cloud(database), Cloud(database)];
        var session = await AssumeAsync(clouds[0]);

        var results = await Task.WhenAll(Enumerable.Range(0, 48).Select(i =>
            Task.Run(() => clouds[i % clouds.Length].Instances.RunInstancesAsync(session, Region, Launch($"plan-1-step-{i}")))));

        var launched = results.Select(r => Assert.Single(r.Instances).InstanceId).ToList();
        Assert.Equal(launched.Count, launched.Distinct().Count());
        Assert.Superset(launched.ToHashSet(), InstanceIds(Cloud(database).World).ToHashSet());
    }

    [SkippableFact]
    public async Task FirstUse_TwoProcessesAtOnce_OneWorld()
    {
        var database = await CreateDatabaseAsync();

        // Each seed is its own row, so the race of two first uses is run several times (the loser must adopt the winner's world).
        foreach (var seed in Enumerable.Range(1, 8))
        {
            var first = new AdoSimulatedWorldStore(database, SimulatedWorld.Demo(seed, _clock.GetUtcNow()));
            var second = new AdoSimulatedWorldStore(database, SimulatedWorld.Demo(seed, _clock.GetUtcNow().AddDays(1)));

            var snapshots = await Task.WhenAll(Task.Run(() => first.ReadAsync(CancellationToken.None)), Task.Run(() => second.ReadAsync(CancellationToken.None)));

            Assert.Equal(SimulatedWorldJson.Serialize(snapshots[0]), SimulatedWorldJson.Serialize(snapshots[1]));
        }
    }

    [SkippableFact]
    public async Task RunInstances_StoredOrInMemory_SameGeneratedIds()
    {
        var database = await CreateDatabaseAsync();
        var stored = Cloud(database);
        var inMemory = new SimulatedCloud(SimulatedWorld.Demo(7, _clock.GetUtcNow()), _clock);

        async Task<IReadOnlyList<string>> IdsAsync(SimulatedCloud cloud)
        {
            var session = await AssumeAsync(cloud);
            var launched = await cloud.Instances.RunInstancesAsync(session, Region, Launch("plan-1-step-1") with { Count = 3 });
            return [session.Credentials.AccessKeyId, .. launched.Instances.Select(i => i.InstanceId)];
        }

        Assert.Equal(await IdsAsync(inMemory), await IdsAsync(stored));
    }

    private SimulatedCloud Cloud(Func<CancellationToken, Task<DbConnection>> database) =>
        new(new AdoSimulatedWorldStore(database, SimulatedWorld.Demo(7, _clock.GetUtcNow())), _clock);

    private static async Task<CloudSession> AssumeAsync(SimulatedCloud cloud)
    {
        var arn = cloud.DeployCustomerStack(Account, ExternalId);
        return await cloud.AssumeRoleAsync(new RoleRequest(arn.ToString(), ExternalId, "discovery"));
    }

    private static LaunchRequest Launch(string token) => new(token, "c5.xlarge", "us-east-1b", InstanceLifecycle.Spot, 1,
        new Dictionary<string, string> { [Ec2Instance.ClusterNameTag] = "replacement" });

    private static List<string> InstanceIds(SimulatedWorld world) =>
        world.FindAccount(Account)!.FindRegion(Region)!.Instances.Select(n => n.Instance.InstanceId).Order(StringComparer.Ordinal).ToList();
}

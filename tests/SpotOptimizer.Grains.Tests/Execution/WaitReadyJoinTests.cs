using Microsoft.Extensions.DependencyInjection;
using SpotOptimizer.Cloud;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.Grains;
using SpotOptimizer.Grains.Execution;
using SpotOptimizer.Grains.Interfaces.Clusters;
using SpotOptimizer.Grains.Tests.Market;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Grains.Tests.Execution;

/// <summary>
/// wait_ready in a cluster whose agent reports: a running instance is not enough, the step waits until the agent's
/// inventory lists it as a Ready node, and gives up (so the job rolls back) when it never joins. The simulated cloud
/// boots instantly here, so only the join is waited for.
/// </summary>
public sealed class WaitReadyJoinTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 10, 0, 0, TimeSpan.Zero);
    private readonly ManualTimeProvider _clock = new(Start);
    private readonly StorageKind _storage = new StorageKind.Sqlite();
    private TestSilo _silo = null!;

    public async Task InitializeAsync() =>
        _silo = await MarketSilo.StartAsync(await _storage.CreateAsync(), _clock, s => s.Configure<ExecutorOptions>(o => o.ReadyTimeout = TimeSpan.FromMinutes(1)));

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        await _storage.DisposeAsync();
    }

    [SkippableFact]
    public async Task WaitReady_AgentReports_WaitsUntilTheNodeIsListedReady()
    {
        var (scope, cluster, token) = await ConnectedAsync();
        var executor = _silo.Services.GetRequiredService<CloudExecutor>();
        var launch = await executor.LaunchAsync(scope, "join-1/0/launch", InstanceLifecycle.Spot, "m5.large", "us-east-1b", Tags(scope), default);
        const string node = "ip-10-0-9-9.ec2.internal";

        await ReportAsync(cluster, token);
        var waiting = executor.WaitReadyAsync(scope, "join-1/0/ready", launch.InstanceId, default);
        await DriveAsync(waiting, cluster, token, polls: 3);
        var beforeJoin = waiting.IsCompleted;
        await DriveAsync(waiting, cluster, token, polls: 3, (launch.InstanceId!, node, [AgentJoins.NotReady]));
        var whileNotReady = waiting.IsCompleted;
        await DriveAsync(waiting, cluster, token, polls: 3, (launch.InstanceId!, node, []));

        Assert.False(beforeJoin);
        Assert.False(whileNotReady);
        var ready = await waiting;
        Assert.Equal(ExecutorResults.Ok, ready.Result);
        Assert.Contains($"joined as node {node}", ready.Detail, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task WaitReady_RunningButNeverJoins_TimesOut()
    {
        var (scope, cluster, token) = await ConnectedAsync();
        var executor = _silo.Services.GetRequiredService<CloudExecutor>();
        var launch = await executor.LaunchAsync(scope, "join-2/0/launch", InstanceLifecycle.Spot, "m5.large", "us-east-1b", Tags(scope), default);

        await ReportAsync(cluster, token);
        var waiting = executor.WaitReadyAsync(scope, "join-2/0/ready", launch.InstanceId, default);
        await DriveAsync(waiting, cluster, token, polls: 200);

        var failed = await waiting;
        Assert.Equal((ExecutorResults.Failed, CloudErrorCodes.Timeout), (failed.Result, failed.ErrorCode));
        Assert.Equal(InstanceState.Running, (await Cloud.Ec2.DescribeInstancesAsync(scope.Session, scope.Region)).Single(i => i.InstanceId == launch.InstanceId).State);
    }

    [SkippableFact]
    public async Task WaitReady_NoAgentReporting_RunningIsReady()
    {
        var (scope, _, _) = await ConnectedAsync();
        var executor = _silo.Services.GetRequiredService<CloudExecutor>();
        var launch = await executor.LaunchAsync(scope, "join-3/0/launch", InstanceLifecycle.Spot, "m5.large", "us-east-1b", Tags(scope), default);

        var ready = await executor.WaitReadyAsync(scope, "join-3/0/ready", launch.InstanceId, default);

        Assert.Equal((ExecutorResults.Ok, $"{launch.InstanceId} running"), (ready.Result, ready.Detail));
    }

    [SkippableFact]
    public async Task WaitReady_EC2DoesNotListTheNewInstanceYet_KeepsWaiting_AsksForThatInstanceOnly()
    {
        var (scope, _, _) = await ConnectedAsync();
        var executor = _silo.Services.GetRequiredService<CloudExecutor>();
        var launch = await executor.LaunchAsync(scope, "join-4/0/launch", InstanceLifecycle.Spot, "m5.large", "us-east-1b", Tags(scope), default);
        // EC2 is eventually consistent: right after a launch it may not know the instance id for a few seconds.
        Cloud.InjectFault(CloudActions.DescribeInstances, new CloudException(CloudErrorCodes.NotFound, $"The instance ID '{launch.InstanceId}' does not exist")
            { ProviderCode = "InvalidInstanceID.NotFound" }, times: 2);
        var asked = Cloud.Calls.Count;

        var waiting = executor.WaitReadyAsync(scope, "join-4/0/ready", launch.InstanceId, default);
        for (var i = 0; i < 10 && !waiting.IsCompleted; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(5));
            await Task.WhenAny(waiting, Task.Delay(200));
        }

        var ready = await waiting;
        Assert.Equal((ExecutorResults.Ok, $"{launch.InstanceId} running"), (ready.Result, ready.Detail));
        var describes = Cloud.Calls.Skip(asked).Where(c => c.Operation == CloudActions.DescribeInstances).ToList();
        Assert.Equal(3, describes.Count);
        Assert.All(describes, c => Assert.Equal($"ids={launch.InstanceId}", c.Arguments));
    }

    [SkippableFact]
    public async Task WaitReady_InstanceTerminatedWhileBooting_FailsAtOnce()
    {
        var (scope, _, _) = await ConnectedAsync();
        var executor = _silo.Services.GetRequiredService<CloudExecutor>();
        var launch = await executor.LaunchAsync(scope, "join-5/0/launch", InstanceLifecycle.Spot, "m5.large", "us-east-1b", Tags(scope), default);
        await Cloud.Instances.TerminateInstancesAsync(scope.Session, scope.Region, [launch.InstanceId!], dryRun: false);

        var failed = await executor.WaitReadyAsync(scope, "join-5/0/ready", launch.InstanceId, default);

        Assert.Equal((ExecutorResults.Failed, CloudErrorCodes.NotFound), (failed.Result, failed.ErrorCode));
    }

    private SimulatedCloud Cloud => _silo.Services.GetRequiredService<SimulatedCloud>();

    private static Dictionary<string, string> Tags(ExecutionScope scope) => new() { [Ec2Instance.ClusterNameTag] = scope.ClusterName };

    private async Task<(ExecutionScope Scope, IClusterGrain Cluster, string Token)> ConnectedAsync()
    {
        var demo = await DemoCluster.LinkAsync(_silo, connect: false);
        var cluster = _silo.Grains.GetGrain<IClusterGrain>(demo.Cluster.ClusterId);
        var issued = await cluster.Connect(demo.OrganizationId, "user:test");
        var role = Cloud.DeployCustomerStack(SimulatedWorld.DemoAccountId, "external-id-join");
        var session = await Cloud.AssumeRoleAsync(new RoleRequest(role.ToString(), "external-id-join", "test"));
        var scope = new ExecutionScope(demo.OrganizationId, "system:test", demo.Cluster.ClusterId, demo.Cluster.Region, demo.Cluster.Name, session, false, []);
        return (scope, cluster, issued!.Token);
    }

    /// <summary>
    /// Each poll: the agent reports (the cluster's one node, plus the joined one when given), then the clock moves one
    /// ready poll and the step gets a moment of real time to read it. Stops early once the step has finished.
    /// </summary>
    private async Task DriveAsync(Task<ExecutedAction> waiting, IClusterGrain cluster, string token, int polls,
        (string InstanceId, string Name, IReadOnlyList<string> Conditions)? joined = null)
    {
        for (var i = 0; i < polls && !waiting.IsCompleted; i++)
        {
            await ReportAsync(cluster, token, joined);
            _clock.Advance(TimeSpan.FromSeconds(5));
            await Task.WhenAny(waiting, Task.Delay(200));
        }
    }

    /// <summary>The agent's report: the cluster's one old node, plus the new one once it is given.</summary>
    private static async Task ReportAsync(IClusterGrain cluster, string token, (string InstanceId, string Name, IReadOnlyList<string> Conditions)? joined = null)
    {
        var nodes = new List<InventoryNode> { Node("ip-10-0-1-10.ec2.internal", "i-0aaaaaaaaaaaaaaa0", []) };
        if (joined is { } j) nodes.Add(Node(j.Name, j.InstanceId, j.Conditions));
        var report = new AgentInventoryReport(AgentTokens.HashOf(token), "test/1", new AgentInventory(nodes, [], [], new InventoryResources(0, 0, 0)));
        Assert.NotNull(await cluster.ReportInventory(report));
    }

    private static InventoryNode Node(string name, string instanceId, IReadOnlyList<string> conditions) =>
        new(name, instanceId, "m5.large", "us-east-1b", "spot", "general", null, new InventoryResources(1930, 7_000, 29), [], conditions, Start);
}

using Microsoft.Extensions.DependencyInjection;
using SpotOptimizer.Cloud;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.Grains.Execution;
using SpotOptimizer.Grains.Tests.Market;
using SpotOptimizer.Tenancy;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Grains.Tests.Execution;

/// <summary>
/// CORE-EXEC against the simulated cloud and a real database: an idempotency key acts once (also across a restart
/// and when the record was lost after the cloud call), dry runs change nothing, drains honour PDB refusals and
/// excluded namespaces, and every step is in the ledger.
/// </summary>
public abstract class CloudExecutorTests(StorageKind storage) : IAsyncLifetime
{
    private const string Region = "us-east-1";
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 11, 2, 10, 0, 0, TimeSpan.Zero));
    private SpotOptimizer.Silo.Storage.SiloStorage _database = null!;
    private TestSilo _silo = null!;

    public async Task InitializeAsync()
    {
        _database = await storage.CreateAsync();
        _silo = await StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        await storage.DisposeAsync();
    }

    private Task<TestSilo> StartAsync() =>
        MarketSilo.StartAsync(_database, _clock, s => s.Configure<ExecutorOptions>(o => o.DrainRetryDelay = TimeSpan.Zero));

    private SimulatedCloud Cloud(TestSilo silo) => silo.Services.GetRequiredService<SimulatedCloud>();

    private async Task<(ExecutionScope Scope, string Organization, SimulatedCluster Cluster)> ScopeAsync(TestSilo silo, bool dryRun)
    {
        var signup = await silo.Services.GetRequiredService<IdentityStore>().SignupAsync("Acme", $"ops{Guid.NewGuid():N}@acme.io", "hash", Roles.Client, default);
        var cloud = Cloud(silo);
        var role = cloud.DeployCustomerStack(SimulatedWorld.DemoAccountId, "external-id-1");
        var session = await cloud.AssumeRoleAsync(new RoleRequest(role.ToString(), "external-id-1", "test"));
        var cluster = cloud.World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion(Region)!.Clusters[0];
        var scope = new ExecutionScope(signup.Organization.Id, "system:test", "c-1", Region, cluster.Cluster.Name, session, dryRun, ["kube-system"]);
        return (scope, signup.Organization.Id, cluster);
    }

    private static readonly Dictionary<string, string> Tags = new() { [Ec2Instance.ClusterNameTag] = "x" };

    [SkippableFact]
    public async Task Launch_SameKeyTwice_LaunchesOnce_AndReplaysTheFirstResult()
    {
        var (scope, organization, _) = await ScopeAsync(_silo, dryRun: false);
        var executor = _silo.Services.GetRequiredService<CloudExecutor>();

        var first = await executor.LaunchAsync(scope, "job-1/0/launch", InstanceLifecycle.Spot, "c5.xlarge", "us-east-1a", Tags, default);
        var second = await executor.LaunchAsync(scope, "job-1/0/launch", InstanceLifecycle.Spot, "c5.xlarge", "us-east-1a", Tags, default);

        Assert.Equal(ExecutorResults.Ok, first.Result);
        Assert.Equal(ExecutorResults.Replayed, second.Result);
        Assert.Equal(first.InstanceId, second.InstanceId);
        Assert.Single(Cloud(_silo).Calls, c => c.Operation == CloudActions.RunInstances);
        var ledger = await _silo.Services.GetRequiredService<AuditQueries>().ListRecentAsync(organization, 50, default);
        Assert.Single(ledger, e => e.Action == "executor.launch_spot");
    }

    [SkippableFact]
    public async Task Launch_ForANodegroupWithACustomTemplate_CarriesItAndItsSubnets_WithoutAskingAutoScaling()
    {
        var (scope, _, cluster) = await ScopeAsync(_silo, dryRun: false);
        var nodegroup = WithTemplate(cluster, custom: true);
        var executor = _silo.Services.GetRequiredService<CloudExecutor>();

        var launch = await executor.LaunchAsync(scope, "job-ng/0/launch", InstanceLifecycle.Spot, "m5.large", "us-east-1b", Tags, default, nodegroup);

        Assert.Equal(ExecutorResults.Ok, launch.Result);
        var template = SimulatedNetwork.CustomLaunchTemplate(SimulatedWorld.DemoAccountId, cluster.Cluster.Name, nodegroup);
        Assert.Contains($"template={template.Id} subnets={Subnets()} ", Assert.Single(Cloud(_silo).Calls, c => c.Operation == CloudActions.RunInstances).Arguments,
            StringComparison.Ordinal);
        Assert.DoesNotContain(Cloud(_silo).Calls, c => c.Operation == CloudActions.DescribeAutoScalingGroups);
        Assert.Equal(nodegroup, Launched(launch).Tags[OptimizerNodes.NodegroupTag]);
    }

    [SkippableFact]
    public async Task Launch_ForANodegroupEksMadeTheTemplateOf_CarriesItsAutoScalingGroupsTemplateAndItsSubnets()
    {
        var (scope, _, cluster) = await ScopeAsync(_silo, dryRun: false);
        var nodegroup = WithTemplate(cluster, custom: false);
        var executor = _silo.Services.GetRequiredService<CloudExecutor>();

        var launch = await executor.LaunchAsync(scope, "job-ng/2/launch", InstanceLifecycle.Spot, "m5.large", "us-east-1b", Tags, default, nodegroup);

        Assert.Equal(ExecutorResults.Ok, launch.Result);
        var template = SimulatedNetwork.LaunchTemplate(SimulatedWorld.DemoAccountId, cluster.Cluster.Name, nodegroup);
        Assert.Contains($"template={template.Id} subnets={Subnets()} ", Assert.Single(Cloud(_silo).Calls, c => c.Operation == CloudActions.RunInstances).Arguments,
            StringComparison.Ordinal);
        var asg = Assert.Single(cluster.FindNodegroup(nodegroup)!.AutoScalingGroupNames);
        Assert.Contains(Cloud(_silo).Calls, c => c.Operation == CloudActions.DescribeAutoScalingGroups && c.Arguments.Contains(asg, StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task Launch_ForANodegroupNoTemplateIsNamedFor_FailsInvalidRequestAndLaunchesNothing()
    {
        var (scope, organization, cluster) = await ScopeAsync(_silo, dryRun: false);
        var nodegroup = cluster.Nodegroups[0].Name;
        // No custom template and no Auto Scaling group to read EKS's from.
        Cloud(_silo).Update(world => world.UpdateRegion(SimulatedWorld.DemoAccountId, Region, r => r.WithCluster(cluster.WithNodegroup(
            cluster.Nodegroups[0] with { LaunchTemplate = null, AutoScalingGroupNames = [] }))));
        var executor = _silo.Services.GetRequiredService<CloudExecutor>();

        var launch = await executor.LaunchAsync(scope, "job-ng/3/launch", InstanceLifecycle.Spot, "m5.large", "us-east-1b", Tags, default, nodegroup);

        Assert.Equal((ExecutorResults.Failed, CloudErrorCodes.InvalidRequest), (launch.Result, launch.ErrorCode));
        // The reason is in the log only (providers' texts never reach the step's detail); the launch source says it.
        var error = await Assert.ThrowsAsync<CloudException>(() => NodegroupLaunch.FromAsync(Cloud(_silo), scope, nodegroup,
            new LaunchRequest("token", "m5.large", "us-east-1b", InstanceLifecycle.Spot, 1, Tags), default));
        Assert.Equal(CloudErrorCodes.InvalidRequest, error.Code);
        Assert.StartsWith($"node group {nodegroup} has no launch template", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Cloud(_silo).Calls, c => c.Operation == CloudActions.RunInstances);
        var ledger = await _silo.Services.GetRequiredService<AuditQueries>().ListRecentAsync(organization, 50, default);
        Assert.Single(ledger, e => e.Action == "executor.launch_spot");
    }

    /// <summary>The cluster's first node group, given a custom launch template or made to run on the one EKS made.</summary>
    private string WithTemplate(SimulatedCluster cluster, bool custom)
    {
        var group = cluster.Nodegroups[0];
        Cloud(_silo).Update(world => world.UpdateRegion(SimulatedWorld.DemoAccountId, Region, r => r.WithCluster(cluster.WithNodegroup(group with
        {
            LaunchTemplate = custom ? SimulatedNetwork.CustomLaunchTemplate(SimulatedWorld.DemoAccountId, cluster.Cluster.Name, group.Name) : null,
        }))));
        return group.Name;
    }

    private string Subnets()
    {
        var region = Cloud(_silo).World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion(Region)!;
        return string.Join(',', SimulatedNetwork.Subnets(SimulatedWorld.DemoAccountId, region).Select(s => $"{s.AvailabilityZone}:{s.SubnetId}"));
    }

    private Ec2Instance Launched(ExecutedAction launch) =>
        Cloud(_silo).World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion(Region)!.Instances.Single(n => n.Instance.InstanceId == launch.InstanceId).Instance;

    [SkippableFact]
    public async Task Launch_ForAnUnknownNodegroup_FailsTheStepAndLaunchesNothing()
    {
        var (scope, _, _) = await ScopeAsync(_silo, dryRun: false);
        var executor = _silo.Services.GetRequiredService<CloudExecutor>();

        var launch = await executor.LaunchAsync(scope, "job-ng/1/launch", InstanceLifecycle.Spot, "m5.large", "us-east-1b", Tags, default, "no-such-group");

        Assert.Equal((ExecutorResults.Failed, CloudErrorCodes.NotFound), (launch.Result, launch.ErrorCode));
        Assert.DoesNotContain(Cloud(_silo).Calls, c => c.Operation == CloudActions.RunInstances);
    }

    [SkippableFact]
    public async Task Launch_AfterRestart_IsReplayed_AndALostRecordStillLaunchesNothingNew()
    {
        var (scope, _, _) = await ScopeAsync(_silo, dryRun: false);
        var first = await _silo.Services.GetRequiredService<CloudExecutor>().LaunchAsync(scope, "job-2/0/launch", InstanceLifecycle.Spot, "m5.large", "us-east-1b", Tags, default);
        // The cloud call of a step whose record never committed: the same client token, sent before the crash.
        var token = CloudExecutor.ClientToken("job-2/1/launch");
        var firstCloud = Cloud(_silo);
        var sent = await firstCloud.Instances.RunInstancesAsync(scope.Session, Region,
            new LaunchRequest(token, "m5.large", "us-east-1b", InstanceLifecycle.Spot, 1, Tags));
        await _silo.StopAsync();

        await using var restarted = await StartAsync();
        var executor = restarted.Services.GetRequiredService<CloudExecutor>();
        var replayed = await executor.LaunchAsync(scope, "job-2/0/launch", InstanceLifecycle.Spot, "m5.large", "us-east-1b", Tags, default);
        Assert.Equal(ExecutorResults.Replayed, replayed.Result);
        Assert.Equal(first.InstanceId, replayed.InstanceId);

        // The restarted silo has a fresh simulated cloud, so the lost-record case is checked on the first cloud.
        Assert.Equal(sent.Instances[0].InstanceId, (await firstCloud.Instances.RunInstancesAsync(scope.Session, Region,
            new LaunchRequest(token, "m5.large", "us-east-1b", InstanceLifecycle.Spot, 1, Tags))).Instances[0].InstanceId);
    }

    [SkippableFact]
    public async Task DryRun_ValidatesAndAuditsEveryStep_ButChangesNothing()
    {
        var (scope, organization, cluster) = await ScopeAsync(_silo, dryRun: true);
        var executor = _silo.Services.GetRequiredService<CloudExecutor>();
        var before = Cloud(_silo).World;
        var node = before.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion(Region)!.NodesOf(cluster.Cluster.Name).First();

        var actions = new[]
        {
            await executor.LaunchAsync(scope, "dry/launch", InstanceLifecycle.Spot, "c5.xlarge", "us-east-1a", Tags, default),
            await executor.WaitReadyAsync(scope, "dry/ready", null, default),
            await executor.DrainAsync(scope, "dry/drain", node.Instance.InstanceId, default),
            await executor.TerminateAsync(scope, "dry/terminate", ExecutorSteps.TerminateNode, node.Instance.InstanceId, default),
            await executor.ResizeNodegroupAsync(scope, "dry/resize", cluster.Nodegroups[0].Name, new NodegroupScaling(0, 5, 1), default),
        };

        Assert.Same(before, Cloud(_silo).World);
        Assert.All(actions, a =>
        {
            Assert.Equal(ExecutorResults.DryRun, a.Result);
            Assert.Matches(@"^\[[\d\- :.]+\] \[CORE-EXEC\] \[[A-Z_]+\] \[DRYRUN\] \[\d+ms\] \[DRYRUN\] would execute ", a.LogLine);
        });
        Assert.Contains(Cloud(_silo).Calls, c => c.Operation == CloudActions.RunInstances && c.Arguments.Contains("dryRun=True", StringComparison.Ordinal));
        var ledger = await _silo.Services.GetRequiredService<AuditQueries>().ListRecentAsync(organization, 50, default);
        Assert.Equal(5, ledger.Count(e => e.Action.StartsWith("executor.", StringComparison.Ordinal) && e.After!.Contains("\"dry_run\":true", StringComparison.Ordinal)));
    }

    [SkippableFact]
    public async Task Drain_RefusedByABudgetThenAllowed_Retries_AndAnExcludedNamespaceIsNeverDrained()
    {
        var (scope, _, cluster) = await ScopeAsync(_silo, dryRun: false);
        var executor = _silo.Services.GetRequiredService<CloudExecutor>();
        var cloud = Cloud(_silo);
        var nodes = cloud.World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion(Region)!.NodesOf(cluster.Cluster.Name).Where(n => n.TerminatedAt is null).ToList();
        cloud.InjectFault(CloudActions.DrainNode, new CloudException(CloudErrorCodes.DisruptionBudget, "Cannot evict pod as it would violate the pod's disruption budget."), times: 2);

        var drained = await executor.DrainAsync(scope, "pdb/drain", nodes[0].Instance.InstanceId, default);

        Assert.Equal(ExecutorResults.Ok, drained.Result);
        Assert.Equal(3, cloud.Calls.Count(c => c.Operation == CloudActions.DrainNode));
        Assert.Equal(0, cloud.World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion(Region)!.Instances.Single(n => n.Instance.InstanceId == nodes[0].Instance.InstanceId).PodCount);

        cloud.AddInstance(SimulatedWorld.DemoAccountId, Region, nodes[1] with { Namespaces = ["kube-system"] });
        var refused = await executor.DrainAsync(scope, "excluded/drain", nodes[1].Instance.InstanceId, default);
        Assert.Equal(ExecutorResults.Failed, refused.Result);
        Assert.Equal(CloudErrorCodes.ExcludedNamespace, refused.ErrorCode);
        Assert.Equal(nodes[1].PodCount, cloud.World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion(Region)!.Instances.Single(n => n.Instance.InstanceId == nodes[1].Instance.InstanceId).PodCount);
    }

    [SkippableFact]
    public async Task DetachVolume_Retried_IsReplayedInsteadOfRefusedByEc2()
    {
        var (scope, _, cluster) = await ScopeAsync(_silo, dryRun: false);
        var cloud = Cloud(_silo);
        var node = cloud.World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion(Region)!.NodesOf(cluster.Cluster.Name).First();
        cloud.Update(world => world.UpdateRegion(SimulatedWorld.DemoAccountId, Region, r => r with
        {
            Volumes = [new SimulatedVolume("vol-0123456789abcdef0", node.Instance.AvailabilityZone,
                new VolumeAttachment("vol-0123456789abcdef0", node.Instance.InstanceId, "/dev/xvdf", VolumeAttachmentState.Attached))],
        }));
        var executor = _silo.Services.GetRequiredService<CloudExecutor>();

        var first = await executor.DetachVolumeAsync(scope, "lab/1/detach", "vol-0123456789abcdef0", default);
        var retry = await executor.DetachVolumeAsync(scope, "lab/1/detach", "vol-0123456789abcdef0", default);

        Assert.Equal((ExecutorResults.Ok, ExecutorResults.Replayed), (first.Result, retry.Result));
        Assert.Null(cloud.World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion(Region)!.Volumes.Single().Attachment);
        Assert.Single(cloud.Calls, c => c.Operation == CloudActions.DetachVolume);
    }

    [SkippableFact]
    public async Task Launch_AnswerLostAfterEC2Launched_StepFindsTheNodeByItsLaunchTag()
    {
        var (scope, _, _) = await ScopeAsync(_silo, dryRun: false);
        var cloud = Cloud(_silo);
        cloud.InjectLostAnswer(CloudActions.RunInstances, new CloudException(CloudErrorCodes.Timeout, "The request timed out.", retryable: true));

        var launch = await _silo.Services.GetRequiredService<CloudExecutor>()
            .LaunchAsync(scope, "lost/0/launch", InstanceLifecycle.Spot, "c5.xlarge", "us-east-1a", Tags, default);

        Assert.Equal(ExecutorResults.Ok, launch.Result);
        var launched = Assert.Single(await cloud.Ec2.DescribeInstancesAsync(scope.Session, scope.Region),
            i => i.Tags.GetValueOrDefault(OptimizerNodes.LaunchTag) == "lost/0/launch");
        Assert.Equal(launched.InstanceId, launch.InstanceId);
        Assert.Contains("found by its launch tag", launch.Detail, StringComparison.Ordinal);
        Assert.Single(cloud.Calls, c => c.Operation == CloudActions.RunInstances);
    }

    [SkippableFact]
    public async Task Launch_FailedBeforeEC2Acted_StepFails_NoOtherNodeTakenForIt()
    {
        var (scope, _, _) = await ScopeAsync(_silo, dryRun: false);
        var executor = _silo.Services.GetRequiredService<CloudExecutor>();
        var earlier = await executor.LaunchAsync(scope, "other/0/launch", InstanceLifecycle.Spot, "c5.xlarge", "us-east-1a", Tags, default);
        Cloud(_silo).InjectFault(CloudActions.RunInstances, new CloudException(CloudErrorCodes.Timeout, "The request timed out.", retryable: true));

        var launch = await executor.LaunchAsync(scope, "never/0/launch", InstanceLifecycle.Spot, "c5.xlarge", "us-east-1a", Tags, default);

        Assert.Equal(ExecutorResults.Ok, earlier.Result);
        Assert.Equal((ExecutorResults.Failed, CloudErrorCodes.Timeout, null), (launch.Result, launch.ErrorCode, launch.InstanceId));
    }

    [SkippableFact]
    public async Task Launch_Refused_ActionSaysWhatHappenedInOurWords_ProviderTextOnlyInTheLog()
    {
        var (scope, organization, _) = await ScopeAsync(_silo, dryRun: false);
        const string raw = "Encoded authorization failure message: 7d1f RequestId=aa-bb";
        Cloud(_silo).InjectFault(CloudActions.RunInstances, new CloudException(CloudErrorCodes.MissingPermission("ec2:RunInstances"), raw));

        var refused = await _silo.Services.GetRequiredService<CloudExecutor>()
            .LaunchAsync(scope, "denied/launch", InstanceLifecycle.Spot, "c5.xlarge", "us-east-1a", Tags, default);

        Assert.Equal(ExecutorResults.Failed, refused.Result);
        Assert.Contains(CloudErrorMessages.For(refused.ErrorCode!), refused.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("RequestId", refused.Detail + refused.LogLine, StringComparison.Ordinal);
        var ledger = await _silo.Services.GetRequiredService<AuditQueries>().ListRecentAsync(organization, 50, default);
        Assert.DoesNotContain(ledger, e => (e.After ?? "").Contains("RequestId", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task SafeModeSwitchedOnMidJob_NextRealStepIsRefused_AndNotRecordedAsDone()
    {
        var (scope, _, _) = await ScopeAsync(_silo, dryRun: false);
        var executor = _silo.Services.GetRequiredService<CloudExecutor>();
        var safeMode = _silo.Services.GetRequiredService<SafeMode>();

        safeMode.Observe(true);
        var refused = await executor.LaunchAsync(scope, "switched/launch", InstanceLifecycle.Spot, "c5.xlarge", "us-east-1a", Tags, default);
        safeMode.Observe(false);
        var later = await executor.LaunchAsync(scope, "switched/launch", InstanceLifecycle.Spot, "c5.xlarge", "us-east-1a", Tags, default);

        Assert.Equal((ExecutorResults.Failed, CloudErrorCodes.SafeMode), (refused.Result, refused.ErrorCode));
        Assert.Equal(ExecutorResults.Ok, later.Result);
        Assert.Single(Cloud(_silo).Calls, c => c.Operation == CloudActions.RunInstances);
    }
}

public sealed class SqliteCloudExecutorTests() : CloudExecutorTests(new StorageKind.Sqlite());

public sealed class PostgresCloudExecutorTests() : CloudExecutorTests(new StorageKind.Postgres());

using Microsoft.Extensions.DependencyInjection;
using SpotOptimizer.Cloud;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.Grains.Accounts;
using SpotOptimizer.Grains.Interfaces.Accounts;
using SpotOptimizer.Grains.Interfaces.Market;
using SpotOptimizer.Grains.Market;
using SpotOptimizer.Tenancy;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Grains.Tests.Market;

/// <summary>
/// Issue 13 item 4: the customer's EventBridge queue feeds the hive mind. The simulated cloud enqueues what EventBridge
/// would; the poller grain (driven by hand here: its timer is off) reports, corroborates, dedupes and deletes.
/// </summary>
public abstract class InstanceEventsTests(StorageKind storage) : IAsyncLifetime
{
    private const string Region = SimulatedWorld.DemoRegion;
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(40);
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 11, 2, 10, 0, 0, TimeSpan.Zero));
    private TestSilo _silo = null!;

    private SimulatedCloud Cloud => _silo.Services.GetRequiredService<SimulatedCloud>();

    public async Task InitializeAsync() =>
        _silo = await TestSilo.StartAsync(await storage.CreateAsync(), _clock, services =>
        {
            services.AddSimulatedCloud(7, o => o.BootTime = TimeSpan.Zero).AddGrainServices().AddSimulatedMarketFeed();
            services.Configure<AccountDiscoveryOptions>(o => o.InstanceEventsPollInterval = Timeout.InfiniteTimeSpan);
            services.Configure<MarketOptions>(o => o.RiskFlagTtl = Ttl);
        });

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        await storage.DisposeAsync();
    }

    /// <summary>A linked demo account whose poller runs, and two of its live Spot instances.</summary>
    private async Task<(string OrganizationId, IInstanceEventsGrain Poller, Ec2Instance First, Ec2Instance Second)> LinkAsync()
    {
        var (organizationId, accountId, _) = await DemoCluster.LinkAsync(_silo, connect: false);
        var access = await _silo.Grains.GetGrain<IAccountGrain>(accountId).GetCloudAccess(organizationId);
        var poller = _silo.Grains.GetGrain<IInstanceEventsGrain>(InstanceEventsKeys.For(accountId, Region));
        // Discovery started it one-way; starting again with the same subscription is a no-op. Start is one-way too: the
        // test waits until the poller says it polls, so its first Poll cannot overtake the start.
        await poller.Start(new InstanceEventsSubscription(organizationId, access!));
        for (var i = 0; i < 200 && !(await poller.Get()).Polling; i++) await Task.Delay(25);
        Assert.True((await poller.Get()).Polling);
        var spots = Cloud.World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion(Region)!.Instances
            .Where(n => n.Instance.Lifecycle == InstanceLifecycle.Spot && n.TerminatedAt is null).Select(n => n.Instance).ToList();
        return (organizationId, poller, spots[0], spots.First(s => s.AvailabilityZone != spots[0].AvailabilityZone || s.InstanceType != spots[0].InstanceType));
    }

    private static string PoolOf(Ec2Instance instance) => SpotPoolKeys.For(Region, instance.AvailabilityZone, instance.InstanceType);

    private Task<IReadOnlyList<LedgerEntry>> LedgerAsync(string organizationId, string action) =>
        _silo.Services.GetRequiredService<AuditQueries>().OfActionAsync(organizationId, action, null, CancellationToken.None);

    [SkippableFact]
    public async Task Interruption_FlagsThePoolForEveryTenant_AndTheShutdownCorroboratesIt()
    {
        var (organizationId, poller, spot, _) = await LinkAsync();
        var warnedAt = _clock.GetUtcNow();

        Cloud.InterruptSpotInstance(SimulatedWorld.DemoAccountId, Region, spot.InstanceId);
        var first = await poller.Poll();

        Assert.Equal(new InstanceEventsPoll(Received: 1, Reported: 1, Duplicates: 0, Corroborated: 0, Ignored: 0, Malformed: 0), first);
        // The board is what every tenant's decisions read: the flag is there for all of them, not only this organization.
        var flag = Assert.Single(await _silo.Grains.GetGrain<IRiskBoardGrain>(Region).GetFlags());
        Assert.Equal((spot.AvailabilityZone, spot.InstanceType, warnedAt + Ttl, InterruptionKinds.Interruption), (flag.AvailabilityZone, flag.InstanceType, flag.Until, flag.Kind));
        var pool = await _silo.Grains.GetGrain<ISpotPoolGrain>(PoolOf(spot)).Get();
        Assert.Equal((1, InterruptionKinds.Interruption), (pool.Interruptions, pool.FlagKind));
        var observed = Assert.Single(await LedgerAsync(organizationId, "spot.interruption_observed"), e => e.After!.Contains("eventbridge", StringComparison.Ordinal));
        Assert.Equal($"instance:{spot.InstanceId}", observed.Resource);
        Assert.Contains(PoolOf(spot), observed.After, StringComparison.Ordinal);

        _clock.Advance(SimulatedCloud.InterruptionWarning);
        var later = await poller.Poll();

        Assert.Equal(1, later.Corroborated);
        Assert.Contains(spot.InstanceId, Assert.Single(await LedgerAsync(organizationId, "spot.interruption_corroborated")).Resource, StringComparison.Ordinal);
        Assert.Empty(Assert.Single(Cloud.World.FindAccount(SimulatedWorld.DemoAccountId)!.EventQueues).Messages);
    }

    [SkippableFact]
    public async Task RebalanceRecommendation_FlagsForLessThanAnInterruption_AndThePoolSaysWhichKind()
    {
        var (_, poller, spot, other) = await LinkAsync();
        var now = _clock.GetUtcNow();

        Cloud.InterruptSpotInstance(SimulatedWorld.DemoAccountId, Region, spot.InstanceId, InterruptionKind.RebalanceRecommendation);
        Cloud.InterruptSpotInstance(SimulatedWorld.DemoAccountId, Region, other.InstanceId);
        Assert.Equal(2, (await poller.Poll()).Reported);

        var rebalanced = await _silo.Grains.GetGrain<ISpotPoolGrain>(PoolOf(spot)).Get();
        var interrupted = await _silo.Grains.GetGrain<ISpotPoolGrain>(PoolOf(other)).Get();
        Assert.Equal((1, 0, InterruptionKinds.RebalanceRecommendation), (rebalanced.RebalanceRecommendations, rebalanced.Interruptions, rebalanced.FlagKind));
        Assert.Equal(now + (Ttl / 2), rebalanced.FlaggedUntil);
        Assert.Equal(now + Ttl, interrupted.FlaggedUntil);
        Assert.True(rebalanced.FlaggedUntil < interrupted.FlaggedUntil);
    }

    [SkippableFact]
    public async Task MessageDeliveredTwice_IsCountedOnce()
    {
        var (organizationId, poller, spot, _) = await LinkAsync();
        Cloud.InterruptSpotInstance(SimulatedWorld.DemoAccountId, Region, spot.InstanceId);
        // The delete fails after the event was handled: SQS delivers the message again once its visibility timeout passes.
        Cloud.InjectFault(CloudActions.DeleteMessage, new CloudException(CloudErrorCodes.Unavailable, "SQS is briefly unavailable.", retryable: true));

        var first = await poller.Poll();
        var failed = await poller.Get();

        Assert.Equal((1, 1), (first.Received, first.Reported));
        Assert.Equal((true, CloudErrorCodes.Unavailable), (failed.Polling, failed.ErrorCode));
        _clock.Advance(SimulatedEventQueue.VisibilityTimeout);
        var again = await poller.Poll();

        Assert.Equal((1, 0, 1), (again.Received, again.Reported, again.Duplicates));
        var view = await poller.Get();
        Assert.Equal((true, 1, 1, (string?)null), (view.Polling, view.Totals.Reported, view.Totals.Duplicates, view.ErrorCode));
        Assert.Equal(1, (await _silo.Grains.GetGrain<ISpotPoolGrain>(PoolOf(spot)).Get()).Interruptions);
        Assert.Single(await LedgerAsync(organizationId, "spot.interruption_observed"), e => e.After!.Contains("eventbridge", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task MalformedMessage_IsAcknowledgedAndCounted_ThePollerGoesOn()
    {
        var (organizationId, poller, spot, _) = await LinkAsync();
        Cloud.SendQueueMessage(SimulatedWorld.DemoAccountId, Region, "{\"detail-type\":\"Something else\"}");
        Cloud.InterruptSpotInstance(SimulatedWorld.DemoAccountId, Region, spot.InstanceId, InterruptionKind.RebalanceRecommendation);

        var poll = await poller.Poll();
        Assert.Null((await poller.Get()).ErrorCode);
        _clock.Advance(SimulatedEventQueue.VisibilityTimeout);
        var next = await poller.Poll();

        Assert.Equal((2, 1, 1), (poll.Received, poll.Reported, poll.Malformed));
        Assert.Equal(0, next.Received);
        Assert.True((await poller.Get()).Polling);
        Assert.Contains("unexpected detail-type", Assert.Single(await LedgerAsync(organizationId, "instance_event.malformed")).After, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task AnotherAccountsZoneName_FlagsTheMarketsPoolOfTheSamePhysicalZone()
    {
        const string account = "222233334444";
        var signup = await _silo.Services.GetRequiredService<IdentityStore>().SignupAsync("Globex", "ops@globex.io", "hash", Roles.Client, default);
        var organizationId = signup.Organization.Id;
        var grain = _silo.Grains.GetGrain<IAccountGrain>(signup.PlaceholderAccount.Id);
        var link = await grain.BeginLink(organizationId, "user:test");
        string[] six = ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"];
        Cloud.Update(world => world.UpdateRegion(account, Region, r => r with { AvailabilityZones = six }));
        var cluster = Cloud.AddDemoCluster(account, Region, "globex-eks");
        // Globex's name for the zone the market calls us-east-1a differs: AWS maps names to zones per account.
        var zoneId = SimulatedNetwork.ZoneId(SimulatedWorld.DemoAccountId, Region, "us-east-1a");
        var globexZone = six.Single(z => SimulatedNetwork.ZoneId(account, Region, z) == zoneId);
        Assert.NotEqual("us-east-1a", globexZone);
        Cloud.AddInstance(account, Region, new SimulatedNode(new Ec2Instance("i-0910be0000000001", "m5.large", globexZone, InstanceLifecycle.Spot,
            InstanceState.Running, _clock.GetUtcNow() - TimeSpan.FromHours(1), "ip-10-0-0-7.ec2.internal",
            new Dictionary<string, string> { [Ec2Instance.ClusterNameTag] = cluster.Cluster.Name }), 3));
        var role = Cloud.DeployCustomerStack(account, link.ExternalId);
        await grain.Verify(new VerifyLink(organizationId, "user:test", account, role.ToString()));
        // Discovery starts the poller with the account's zone IDs it read.
        await grain.Discover();
        var poller = _silo.Grains.GetGrain<IInstanceEventsGrain>(InstanceEventsKeys.For(signup.PlaceholderAccount.Id, Region));
        for (var i = 0; i < 200 && !(await poller.Get()).Polling; i++) await Task.Delay(25);

        // The market's feed names the zones (the silo refreshes it on its own schedule; here now).
        await _silo.Grains.GetGrain<IMarketGrain>(Region).RefreshAdvisor();
        Assert.NotEmpty(await _silo.Grains.GetGrain<IMarketGrain>(Region).GetZoneIds());

        Cloud.InterruptSpotInstance(account, Region, "i-0910be0000000001");
        int ZoneReads() => Cloud.Calls.Count(c => c.Operation == CloudActions.DescribeAvailabilityZones && c.AccountId == account);
        var readAtDiscovery = ZoneReads();
        Assert.Equal(1, (await poller.Poll()).Reported);
        // Placing the event took the zone IDs discovery handed over: no call to AWS for them.
        Assert.Equal(readAtDiscovery, ZoneReads());

        var flag = Assert.Single(await _silo.Grains.GetGrain<IRiskBoardGrain>(Region).GetFlags());
        Assert.Equal(("us-east-1a", "m5.large"), (flag.AvailabilityZone, flag.InstanceType));
    }

    [SkippableFact]
    public async Task RoleWithoutTheQueuePermission_StopsPolling_AndSaysSoOnce()
    {
        var (organizationId, poller, _, _) = await LinkAsync();
        var link = Cloud.World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRole(SimulatedCloud.DefaultRoleName)!;
        Cloud.DeployCustomerStack(SimulatedWorld.DemoAccountId, link.ExternalId, allowedActions: RequiredPermissions.Actions.Except([CloudActions.ReceiveMessage]));

        await poller.Poll();
        await poller.Poll();

        var view = await poller.Get();
        Assert.Equal((false, CloudErrorCodes.MissingPermission(CloudActions.ReceiveMessage)), (view.Polling, view.ErrorCode));
        Assert.Single(await LedgerAsync(organizationId, "instance_events.unavailable"));
    }
}

public sealed class SqliteInstanceEventsTests() : InstanceEventsTests(new StorageKind.Sqlite());

public sealed class PostgresInstanceEventsTests() : InstanceEventsTests(new StorageKind.Postgres());

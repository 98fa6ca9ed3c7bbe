using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using SpotOptimizer.Cloud;
using SpotOptimizer.Grains;
using SpotOptimizer.Grains.Interfaces.Clusters;
using SpotOptimizer.Tenancy;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Grains.Tests.Clusters;

/// <summary>
/// The agent's command channel in the cluster grain: a queued command is polled until its result arrives (recorded
/// once), a waiting poll wakes when one is queued, idempotency keys return the same command, commands and results are
/// in the ledger and outlive a restart, revocation cancels them, and safe mode and policy changes queue their commands.
/// </summary>
public abstract class AgentCommandsTests(StorageKind storage) : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 4, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly ManualTimeProvider _clock = new(Start);
    private readonly StorageKind _storage = storage;
    private SpotOptimizer.Silo.Storage.SiloStorage _database = null!;

    public async Task InitializeAsync() => _database = await _storage.CreateAsync();

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    private Task<TestSilo> StartAsync() =>
        TestSilo.StartAsync(_database, _clock, services => services.AddSimulatedCloud(7).AddGrainServices());

    [SkippableFact]
    public async Task Command_PolledUntilResult_ResultRecordedOnceAndLedgered()
    {
        await using var silo = await StartAsync();
        var (organizationId, grain, hash) = await ConnectAsync(silo);

        var issued = await grain.IssueCommand(organizationId, "user:test", new AgentCommandRequest(AgentCommandKinds.Label, "label-1", InstanceId: "i-0aaaaaaaaaaaaaaa1",
            Labels: new Dictionary<string, string?> { ["spotoptimizer.io/pool"] = "spot", ["old"] = null }));
        var again = await grain.IssueCommand(organizationId, "user:test", new AgentCommandRequest(AgentCommandKinds.Label, "label-1", InstanceId: "i-0aaaaaaaaaaaaaaa1"));
        var id = issued!.Command!.Command.Id;
        var polled = await grain.PollCommands(hash, TimeSpan.Zero);
        var polledAgain = await grain.PollCommands(hash, TimeSpan.Zero);
        var first = await grain.ReportCommandResult(hash, id, new AgentCommandResult("succeeded", null, "cordoned", null, false));
        var second = await grain.ReportCommandResult(hash, id, new AgentCommandResult("failed", "kubernetes_error", null, null, false));
        var unknown = await grain.ReportCommandResult(hash, "cmd_0000", new AgentCommandResult("succeeded", null, null, null, false));

        Assert.StartsWith("cmd_", id, StringComparison.Ordinal);
        Assert.Equal(id, again!.Command!.Command.Id);
        Assert.Equal([id], polled!.Select(c => c.Id));
        Assert.Equal([("old", null), ("spotoptimizer.io/pool", "spot")], polled![0].Labels!.OrderBy(l => l.Key).Select(l => (l.Key, l.Value)));
        Assert.Equal([id], polledAgain!.Select(c => c.Id));
        Assert.Equal(("succeeded", "succeeded", "unknown_command"), (first!.Status, second!.Status, unknown!.Error));
        Assert.Empty((await grain.PollCommands(hash, TimeSpan.Zero))!);
        var record = await grain.GetCommand(organizationId, id);
        Assert.Equal(("succeeded", "cordoned"), (record!.Status, record.Result!.Detail));
        Assert.Null(await grain.GetCommand("another-organization", id));
        Assert.Null(await grain.PollCommands(AgentTokens.HashOf("soa_stranger"), TimeSpan.Zero));

        var ledger = await LedgerAsync(silo, organizationId);
        Assert.Equal(["agent.command_issued", "agent.command_succeeded"], ledger.Where(e => e.Action.StartsWith("agent.", StringComparison.Ordinal)).Select(e => e.Action));
        var succeeded = JsonDocument.Parse(ledger.Single(e => e.Action == "agent.command_succeeded").After!).RootElement;
        Assert.Equal((id, "label", $"cluster:{grain.GetPrimaryKeyString()}"),
            (succeeded.GetProperty("command_id").GetString(), succeeded.GetProperty("kind").GetString(), ledger[^1].Resource));
    }

    [SkippableFact]
    public async Task LongPoll_CommandQueuedWhileWaiting_WakesWithIt()
    {
        await using var silo = await StartAsync();
        var (organizationId, grain, hash) = await ConnectAsync(silo);

        var waiting = grain.PollCommands(hash, TimeSpan.FromSeconds(30));
        await Task.Delay(200);
        Assert.False(waiting.IsCompleted);
        var issued = await grain.IssueCommand(organizationId, "user:test", new AgentCommandRequest(AgentCommandKinds.Uncordon, NodeName: "ip-10-0-1-10.ec2.internal"));
        var woken = await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([issued!.Command!.Command.Id], woken!.Select(c => c.Id));
        var idle = grain.PollCommands(hash, TimeSpan.FromSeconds(5));
        await grain.ReportCommandResult(hash, issued.Command.Command.Id, new AgentCommandResult("succeeded", null, null, null, false));
        var empty = grain.PollCommands(hash, TimeSpan.FromSeconds(5));
        await Task.Delay(200);
        _clock.Advance(TimeSpan.FromSeconds(6));
        Assert.Single((await idle.WaitAsync(TimeSpan.FromSeconds(10)))!);
        Assert.Empty((await empty.WaitAsync(TimeSpan.FromSeconds(10)))!);
    }

    [SkippableFact]
    public async Task Revoke_PendingCommandsCancelled_PollsRefusedAndNothingStarts()
    {
        await using var silo = await StartAsync();
        var (organizationId, grain, hash) = await ConnectAsync(silo);
        var issued = await grain.IssueCommand(organizationId, "user:test", new AgentCommandRequest(AgentCommandKinds.Drain, InstanceId: "i-0aaaaaaaaaaaaaaa1"));

        await grain.RevokeAgentToken(organizationId, "user:test");

        Assert.Null(await grain.PollCommands(hash, TimeSpan.FromSeconds(30)));
        Assert.Equal("cancelled", (await grain.GetCommand(organizationId, issued!.Command!.Command.Id))!.Status);
        Assert.Equal(AgentCommandRefusals.TokenRevoked, (await grain.IssueCommand(organizationId, "user:test", new AgentCommandRequest(AgentCommandKinds.Cordon)))!.Refusal);
        Assert.Equal(OptimizationRefusals.AgentRevoked, (await grain.StartOptimization(organizationId, "user:test", "manual"))!.Refusal);
        Assert.True((await grain.GetAgentChannel(organizationId))!.Revoked);
        Assert.Contains(await LedgerAsync(silo, organizationId), e => e.Action == "agent.command_cancelled");

        var reconnected = await grain.Connect(organizationId, "user:test");
        Assert.False((await grain.GetAgentChannel(organizationId))!.Revoked);
        var parked = grain.PollCommands(AgentTokens.HashOf(reconnected!.Token), TimeSpan.FromSeconds(30));
        await Task.Delay(200);
        Assert.False(parked.IsCompleted);
        await grain.Connect(organizationId, "user:test");
        Assert.Null(await parked.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [SkippableFact]
    public async Task SafeModeEntered_LedgeredShownAndLeaveQueued_SurvivesRestart()
    {
        string organizationId, clusterId, hash;
        var entered = Start.AddMinutes(-7);
        await using (var first = await StartAsync())
        {
            var (org, grain, tokenHash) = await ConnectAsync(first);
            (organizationId, clusterId, hash) = (org, grain.GetPrimaryKeyString(), tokenHash);
            var report = new AgentSafeModeReport("entered", entered, "platform_unreachable", 420, ["nodepools_on_demand_only", "disruptive_commands_stopped"]);
            Assert.True(await grain.ReportSafeMode(hash, report));
            Assert.True(await grain.ReportSafeMode(hash, report));
            Assert.Null(await grain.ReportSafeMode(AgentTokens.HashOf("soa_stranger"), report));
            await first.StopAsync();
        }

        await using var second = await StartAsync();
        var restored = second.Grains.GetGrain<IClusterGrain>(clusterId);
        var pending = await restored.PollCommands(hash, TimeSpan.Zero);
        Assert.Equal([AgentCommandKinds.LeaveSafeMode], pending!.Select(c => c.Kind));
        Assert.Equal(new AgentSafeModeView(entered, "platform_unreachable"), (await restored.Get(organizationId))!.AgentSafeMode);
        var ledger = await LedgerAsync(second, organizationId);
        Assert.Single(ledger, e => e.Action == "agent.safe_mode_entered");
        Assert.Single(ledger, e => e.Action == "agent.command_issued");

        await restored.ReportCommandResult(hash, pending![0].Id, new AgentCommandResult("succeeded", null, null, null, false));
        await restored.ReportSafeMode(hash, new AgentSafeModeReport("left", entered, "platform_unreachable", 420, []));
        Assert.Null((await restored.Get(organizationId))!.AgentSafeMode);
        Assert.Contains(await LedgerAsync(second, organizationId), e => e.Action == "agent.safe_mode_left");
    }

    [SkippableFact]
    public async Task PolicyToggles_KarpenterPolicyQueuedWithCapacityAndConsolidation()
    {
        await using var silo = await StartAsync();
        var (organizationId, grain, hash) = await ConnectAsync(silo);

        await grain.UpdatePolicy(organizationId, "user:test", new PolicyPatch(KarpenterEnabled: true));
        await grain.UpdatePolicy(organizationId, "user:test", new PolicyPatch(OnDemandFallback: false, BinpackAggressiveness: 30));
        await grain.UpdatePolicy(organizationId, "user:test", new PolicyPatch(KarpenterStrategy: "stability"));

        var karpenter = (await grain.PollCommands(hash, TimeSpan.Zero))!.Select(c => c.Karpenter!).ToList();
        Assert.Equal(2, karpenter.Count);
        Assert.Equal((true, "WhenEmptyOrUnderutilized", true), (karpenter[0].Enabled, karpenter[0].ConsolidationPolicy, karpenter[0].FallbackOnDemand));
        Assert.Equal(["spot", "on-demand"], karpenter[0].CapacityTypes);
        Assert.Equal((true, "WhenEmpty", false), (karpenter[1].Enabled, karpenter[1].ConsolidationPolicy, karpenter[1].FallbackOnDemand));
        Assert.Equal(["spot"], karpenter[1].CapacityTypes);
    }

    [SkippableFact]
    public async Task Connect_KarpenterManaged_NewAgentGetsThePolicyAsItStands_NotWhenKarpenterIsOff()
    {
        await using var silo = await StartAsync();
        var (organizationId, grain, hash) = await ConnectAsync(silo);
        Assert.Empty((await grain.PollCommands(hash, TimeSpan.Zero))!);

        await grain.UpdatePolicy(organizationId, "user:test", new PolicyPatch(KarpenterEnabled: true, OnDemandFallback: false));
        var reconnected = AgentTokens.HashOf((await grain.Connect(organizationId, "user:test"))!.Token);

        var sent = Assert.Single((await grain.PollCommands(reconnected, TimeSpan.Zero))!);
        Assert.Equal(AgentCommandKinds.KarpenterPolicy, sent.Kind);
        Assert.Equal((true, false), (sent.Karpenter!.Enabled, sent.Karpenter.FallbackOnDemand));
        Assert.Equal(["spot"], sent.Karpenter.CapacityTypes);
    }

    [SkippableFact]
    public async Task Command_NoResultBeforeExpiry_Expired()
    {
        await using var silo = await StartAsync();
        var (organizationId, grain, hash) = await ConnectAsync(silo);
        var issued = await grain.IssueCommand(organizationId, "user:test",
            new AgentCommandRequest(AgentCommandKinds.Drain, InstanceId: "i-0aaaaaaaaaaaaaaa1", Lifetime: TimeSpan.FromMinutes(5)));

        _clock.Advance(TimeSpan.FromMinutes(6));

        Assert.Empty((await grain.PollCommands(hash, TimeSpan.Zero))!);
        Assert.Equal("expired", (await grain.GetCommand(organizationId, issued!.Command!.Command.Id))!.Status);
        var late = await grain.ReportCommandResult(hash, issued.Command.Command.Id, new AgentCommandResult("succeeded", null, null, 3, false));
        Assert.Equal("expired", late!.Status);
        Assert.Contains(await LedgerAsync(silo, organizationId), e => e.Action == "agent.command_expired");
    }

    private static async Task<IReadOnlyList<LedgerEntry>> LedgerAsync(TestSilo silo, string organizationId) =>
        [.. (await silo.Services.GetRequiredService<AuditQueries>().ListRecentAsync(organizationId, 200, default)).OrderBy(e => e.Seq)];

    private static async Task<(string OrganizationId, IClusterGrain Grain, string TokenHash)> ConnectAsync(TestSilo silo)
    {
        var demo = await DemoCluster.LinkAsync(silo, connect: false);
        var grain = silo.Grains.GetGrain<IClusterGrain>(demo.Cluster.ClusterId);
        var issued = await grain.Connect(demo.OrganizationId, "user:test");
        return (demo.OrganizationId, grain, AgentTokens.HashOf(issued!.Token));
    }
}

public sealed class SqliteAgentCommandsTests() : AgentCommandsTests(new StorageKind.Sqlite());

public sealed class PostgresAgentCommandsTests() : AgentCommandsTests(new StorageKind.Postgres());

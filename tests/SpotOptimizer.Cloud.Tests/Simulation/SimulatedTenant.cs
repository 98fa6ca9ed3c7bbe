using SpotOptimizer.Cloud.Simulation;

namespace SpotOptimizer.Cloud.Tests.Simulation;

/// <summary>The demo world with the customer's stack deployed and a session assumed: where most simulator tests start.</summary>
public sealed class SimulatedTenant
{
    public const string ExternalId = "5d41402a-bc4b-4a76-b9a0-7c2f0e3c1a11";
    public const string Region = SimulatedWorld.DemoRegion;

    private SimulatedTenant(SimulatedCloud cloud, TestClock clock, CloudSession session)
    {
        Cloud = cloud;
        Clock = clock;
        Session = session;
    }

    public SimulatedCloud Cloud { get; }

    public TestClock Clock { get; }

    public CloudSession Session { get; }

    public string AccountId => Session.AccountId;

    public static async Task<SimulatedTenant> StartAsync(int seed = 7, IEnumerable<string>? allowedActions = null,
        SimulatedCloudOptions? options = null, DateTimeOffset? now = null)
    {
        var clock = now is { } start ? new TestClock(start) : new TestClock();
        var cloud = new SimulatedCloud(SimulatedWorld.Demo(seed), clock, options);
        var arn = cloud.DeployCustomerStack(SimulatedWorld.DemoAccountId, ExternalId, allowedActions: allowedActions);
        var session = await cloud.AssumeRoleAsync(new RoleRequest(arn.ToString(), ExternalId, "spotoptimizer-discovery"));
        return new SimulatedTenant(cloud, clock, session);
    }

    public Task<AccountInventory> ScanAsync() => AccountInventory.ScanAsync(Cloud, Session, [Region]);
}

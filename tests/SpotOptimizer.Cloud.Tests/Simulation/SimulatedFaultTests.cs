using SpotOptimizer.Cloud.Simulation;

namespace SpotOptimizer.Cloud.Tests.Simulation;

public sealed class SimulatedFaultTests
{
    [Fact]
    public async Task InjectFault_ThrottledTwice_FailsRetryableThenClears()
    {
        var tenant = await SimulatedTenant.StartAsync();
        tenant.Cloud.InjectFault(CloudActions.DescribeInstances, CloudException.Throttled(), times: 2);

        for (var i = 0; i < 2; i++)
        {
            var error = await Assert.ThrowsAsync<CloudException>(() => tenant.Cloud.Ec2.DescribeInstancesAsync(tenant.Session, SimulatedTenant.Region));
            Assert.Equal(CloudErrorCodes.Throttled, error.Code);
            Assert.True(error.Retryable);
            Assert.Equal(CloudActions.DescribeInstances, error.Operation);
        }

        Assert.NotEmpty(await tenant.Cloud.Ec2.DescribeInstancesAsync(tenant.Session, SimulatedTenant.Region));
    }

    [Fact]
    public async Task InjectFault_OtherOperation_Unaffected()
    {
        var tenant = await SimulatedTenant.StartAsync();
        tenant.Cloud.InjectFault(CloudActions.RunInstances, CloudException.InsufficientCapacity(), times: 5);

        Assert.NotEmpty(await tenant.Cloud.Eks.ListClustersAsync(tenant.Session, SimulatedTenant.Region));
    }

    [Fact]
    public async Task InjectFault_AnyOperationTimeout_HitsAssumeRoleToo()
    {
        var tenant = await SimulatedTenant.StartAsync();
        tenant.Cloud.InjectFault(CloudActions.Any, CloudException.Timeout());

        var error = await Assert.ThrowsAsync<CloudException>(() =>
            tenant.Cloud.AssumeRoleAsync(new RoleRequest(tenant.Session.Role.ToString(), SimulatedTenant.ExternalId, "again")));

        Assert.Equal(CloudErrorCodes.Timeout, error.Code);
        Assert.True(error.Retryable);
    }

    [Fact]
    public async Task InjectFault_Probability_SameSeedSameFailurePattern()
    {
        async Task<string> PatternAsync()
        {
            var tenant = await SimulatedTenant.StartAsync(seed: 99);
            tenant.Cloud.InjectFault(CloudActions.ListClusters, CloudException.Throttled(), probability: 0.5);
            var outcome = new char[40];
            for (var i = 0; i < outcome.Length; i++)
            {
                try
                {
                    await tenant.Cloud.Eks.ListClustersAsync(tenant.Session, SimulatedTenant.Region);
                    outcome[i] = '.';
                }
                catch (CloudException)
                {
                    outcome[i] = 'x';
                }
            }

            return new string(outcome);
        }

        var first = await PatternAsync();

        Assert.Equal(first, await PatternAsync());
        Assert.InRange(first.Count(c => c == 'x'), 8, 32);
    }

    [Fact]
    public async Task Calls_AfterOperations_RecordedInOrderWithOutcome()
    {
        var tenant = await SimulatedTenant.StartAsync();
        tenant.Clock.Advance(TimeSpan.FromSeconds(5));
        tenant.Cloud.InjectFault(CloudActions.DescribeCluster, CloudException.Throttled());

        await tenant.Cloud.Eks.ListClustersAsync(tenant.Session, SimulatedTenant.Region);
        await Assert.ThrowsAsync<CloudException>(() => tenant.Cloud.Eks.DescribeClusterAsync(tenant.Session, SimulatedTenant.Region, "prod-web"));

        var calls = tenant.Cloud.Calls;
        Assert.Equal([CloudActions.AssumeRole, CloudActions.ListClusters, CloudActions.DescribeCluster], calls.Select(c => c.Operation));
        Assert.Equal([CloudCall.Ok, CloudCall.Ok, CloudErrorCodes.Throttled], calls.Select(c => c.Outcome));
        Assert.Equal(tenant.Clock.GetUtcNow(), calls[^1].Timestamp);
        Assert.Equal(tenant.Clock.GetUtcNow() - TimeSpan.FromSeconds(5), calls[0].Timestamp);
        Assert.All(calls, c => Assert.Equal(SimulatedWorld.DemoAccountId, c.AccountId));
        Assert.Equal(("us-east-1", "cluster=prod-web"), (calls[^1].Region, calls[^1].Arguments));
    }

    [Fact]
    public async Task Calls_BeyondCapacity_KeepsTheMostRecent()
    {
        var cloud = new SimulatedCloud(SimulatedWorld.Demo(1), new TestClock(), new SimulatedCloudOptions { CallLogCapacity = 3 });
        var arn = cloud.DeployCustomerStack(SimulatedWorld.DemoAccountId, SimulatedTenant.ExternalId);
        var session = await cloud.AssumeRoleAsync(new RoleRequest(arn.ToString(), SimulatedTenant.ExternalId, "discovery"));

        for (var i = 0; i < 5; i++) await cloud.Eks.ListClustersAsync(session, SimulatedTenant.Region);

        Assert.Equal(3, cloud.Calls.Count);
        Assert.All(cloud.Calls, c => Assert.Equal(CloudActions.ListClusters, c.Operation));
    }
}

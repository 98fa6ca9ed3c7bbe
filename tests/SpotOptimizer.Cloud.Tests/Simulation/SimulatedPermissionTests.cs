using SpotOptimizer.Cloud.Simulation;

namespace SpotOptimizer.Cloud.Tests.Simulation;

public sealed class SimulatedPermissionTests
{
    [Fact]
    public async Task CheckPermissions_FullStack_AllGranted()
    {
        var tenant = await SimulatedTenant.StartAsync();

        var report = await tenant.Cloud.Permissions.CheckAsync(tenant.Session, SimulatedTenant.Region);

        Assert.True(report.AllGranted);
        Assert.Equal(RequiredPermissions.Actions, report.Checks.Select(c => c.Action));
    }

    [Fact]
    public async Task CheckPermissions_PartialRole_ReportsMissingActions()
    {
        var withheld = new[] { CloudActions.RunInstances, CloudActions.UpdateNodegroupConfig, CloudActions.PassRole };
        var tenant = await SimulatedTenant.StartAsync(allowedActions: RequiredPermissions.Actions.Except(withheld));

        var report = await tenant.Cloud.Permissions.CheckAsync(tenant.Session, SimulatedTenant.Region);

        Assert.Equal(
            ["missing_permission:ec2:RunInstances", "missing_permission:eks:UpdateNodegroupConfig", "missing_permission:iam:PassRole"],
            report.MissingCodes);
        Assert.Empty(report.Unverified);
        Assert.False(report.NoneMissing);
    }

    [Fact]
    public async Task DescribeInstances_RoleWithoutIt_ThrowsMissingPermission()
    {
        var tenant = await SimulatedTenant.StartAsync(allowedActions: RequiredPermissions.Actions.Except([CloudActions.DescribeInstances]));

        var error = await Assert.ThrowsAsync<CloudException>(() => tenant.Cloud.Ec2.DescribeInstancesAsync(tenant.Session, SimulatedTenant.Region));

        Assert.Equal("missing_permission:ec2:DescribeInstances", error.Code);
        Assert.Equal(CloudActions.DescribeInstances, error.MissingAction);
        Assert.False(error.Retryable);
    }

    [Fact]
    public void RequiredPermissions_List_IsTheProductsTwentyFiveActions()
    {
        Assert.Equal(25, RequiredPermissions.Actions.Count);
        Assert.Equal(RequiredPermissions.Actions.Count, RequiredPermissions.Actions.Distinct().Count());
        Assert.All(RequiredPermissions.Actions, a => Assert.Matches("^(ec2|eks|autoscaling|iam|sqs):[A-Z][A-Za-z]+$", a));
    }
}

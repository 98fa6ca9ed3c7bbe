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
    public async Task CreateTags_OutsideALaunch_RefusedEvenToTheFullRole()
    {
        var tenant = await SimulatedTenant.StartAsync();

        var standalone = await Assert.ThrowsAsync<CloudException>(() => tenant.Cloud.AuthorizeAsync(tenant.Session, SimulatedTenant.Region, CloudActions.CreateTags));
        var otherCall = await Assert.ThrowsAsync<CloudException>(() =>
            tenant.Cloud.AuthorizeAsync(tenant.Session, SimulatedTenant.Region, CloudActions.CreateTags, createAction: "CreateVolume"));
        await tenant.Cloud.AuthorizeAsync(tenant.Session, SimulatedTenant.Region, CloudActions.CreateTags, createAction: "CreateFleet");
        await tenant.Cloud.AuthorizeAsync(tenant.Session, SimulatedTenant.Region, CloudActions.CreateTags, createAction: "RunInstances");

        Assert.Equal(("missing_permission:ec2:CreateTags", "missing_permission:ec2:CreateTags"), (standalone.Code, otherCall.Code));
        // Each verdict is a call of the role, in the log as IAM saw it.
        Assert.Equal(["missing_permission:ec2:CreateTags", "missing_permission:ec2:CreateTags", CloudCall.Ok, CloudCall.Ok],
            tenant.Cloud.Calls.Where(c => c.Operation == CloudActions.CreateTags).Select(c => c.Outcome));
    }

    [Fact]
    public async Task CreateTags_RoleWithoutIt_RefusedWithinALaunchToo()
    {
        var tenant = await SimulatedTenant.StartAsync(allowedActions: RequiredPermissions.Actions.Except([CloudActions.CreateTags]));

        var error = await Assert.ThrowsAsync<CloudException>(() =>
            tenant.Cloud.AuthorizeAsync(tenant.Session, SimulatedTenant.Region, CloudActions.CreateTags, createAction: "CreateFleet"));
        var report = await tenant.Cloud.Permissions.CheckAsync(tenant.Session, SimulatedTenant.Region);

        Assert.Equal("missing_permission:ec2:CreateTags", error.Code);
        Assert.Equal(["missing_permission:ec2:CreateTags"], report.MissingCodes);
    }

    [Fact]
    public void RequiredPermissions_List_IsTheProductsTwentyThreeActions()
    {
        Assert.Equal(23, RequiredPermissions.Actions.Count);
        Assert.Equal(RequiredPermissions.Actions.Count, RequiredPermissions.Actions.Distinct().Count());
        Assert.All(RequiredPermissions.Actions, a => Assert.Matches("^(ec2|eks|autoscaling|iam|sqs):[A-Z][A-Za-z]+$", a));
    }
}

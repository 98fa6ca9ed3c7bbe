namespace SpotOptimizer.Cloud.Tests.Aws;

public sealed class AwsPermissionTests
{
    [Fact]
    public async Task CheckPermissions_MixedAnswers_GrantedMissingOrUnverifiedNeverGuessed()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = r => (r.Service, r.Action, r.Path) switch
        {
            ("ec2", "RunInstances", _) => AwsResponses.Unauthorized(),
            ("ec2", "DetachVolume" or "AttachVolume", _) => AwsResponses.Ec2Error(400, "InvalidVolume.NotFound", "The volume 'vol-00000000000000000' does not exist."),
            ("ec2", _, _) when r.Form.GetValueOrDefault("DryRun") == "true" => AwsResponses.DryRunOk(),
            ("eks", _, "/eks/us-east-1/clusters") => AwsResponses.Json(200, """{"clusters":["prod-web"],"nextToken":"more"}"""),
            ("eks", _, "/eks/us-east-1/clusters/prod-web") => AwsResponses.EksAccessDenied("eks:DescribeCluster"),
            ("eks", _, "/eks/us-east-1/clusters/prod-web/node-groups") => AwsResponses.Json(200, """{"nodegroups":["system"]}"""),
            ("eks", _, "/eks/us-east-1/clusters/prod-web/node-groups/system") =>
                AwsResponses.EksNodegroup("prod-web", "system", "ON_DEMAND", ["m5.large"], 1, 4, 2, "eks-system-1"),
            ("autoscaling", "DescribeAutoScalingGroups", _) => AwsResponses.QueryError(403, "AccessDenied",
                "User: arn:aws:sts::111122223333:assumed-role/SpotOptimizerRole/discovery is not authorized to perform: autoscaling:DescribeAutoScalingGroups",
                "http://autoscaling.amazonaws.com/doc/2011-01-01/"),
            _ => AwsResponses.Ec2Error(400, "Unexpected", r.Path),
        };

        var report = await bed.Cloud.Permissions.CheckAsync(AwsTestBed.Session(), AwsTestBed.Region);

        var status = report.Checks.ToDictionary(c => c.Action, c => c.Status);
        Assert.Equal(RequiredPermissions.Actions, report.Checks.Select(c => c.Action));
        Assert.Equal(
            [CloudActions.DescribeInstances, CloudActions.DescribeSpotInstanceRequests, CloudActions.DescribeVolumes,
             CloudActions.DescribeAvailabilityZones, CloudActions.DescribeSubnets, CloudActions.GetSpotPlacementScores, CloudActions.CreateFleet, CloudActions.TerminateInstances, CloudActions.StopInstances, CloudActions.StartInstances, CloudActions.CreateTags,
             CloudActions.ListClusters, CloudActions.ListNodegroups, CloudActions.DescribeNodegroup],
            status.Where(s => s.Value == PermissionStatus.Granted).Select(s => s.Key));
        Assert.Equal(
            ["missing_permission:ec2:RunInstances", "missing_permission:eks:DescribeCluster", "missing_permission:autoscaling:DescribeAutoScalingGroups"],
            report.MissingCodes);
        Assert.Equal(
            [CloudActions.DetachVolume, CloudActions.AttachVolume, CloudActions.UpdateNodegroupConfig, CloudActions.PassRole,
             CloudActions.ReceiveMessage, CloudActions.DeleteMessage],
            report.Unverified);
        Assert.Contains("InvalidVolume.NotFound", report.Checks.Single(c => c.Action == CloudActions.DetachVolume).Detail, StringComparison.Ordinal);
        Assert.All(bed.Endpoint.For("ec2"), r => Assert.Equal("true", r.Form["DryRun"]));
        Assert.DoesNotContain(bed.Endpoint.Requests, r => r.Method == "POST" && r.Service == "eks");
    }

    [Fact]
    public async Task CheckPermissions_TagsDeniedWithinTheLaunch_CreateTagsMissingAndNeverTriedAlone()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = r => r.Service switch
        {
            // The template allows CreateTags only with ec2:CreateAction: a role without it refuses the tagged launch only.
            "ec2" when r.Action == "CreateFleet" && r.Form.ContainsKey("TagSpecification.1.ResourceType") => AwsResponses.Unauthorized(),
            "ec2" => AwsResponses.DryRunOk(),
            "eks" => AwsResponses.Json(200, """{"clusters":[]}"""),
            _ => new FakeResponse(200, """<DescribeAutoScalingGroupsResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/"><DescribeAutoScalingGroupsResult><AutoScalingGroups/></DescribeAutoScalingGroupsResult></DescribeAutoScalingGroupsResponse>"""),
        };

        var report = await bed.Cloud.Permissions.CheckAsync(AwsTestBed.Session(), AwsTestBed.Region);

        Assert.Equal(["missing_permission:ec2:CreateTags"], report.MissingCodes);
        Assert.Equal(PermissionStatus.Granted, report.Checks.Single(c => c.Action == CloudActions.CreateFleet).Status);
        Assert.Equal(2, bed.Endpoint.For("ec2").Count(r => r.Action == "CreateFleet"));
        Assert.DoesNotContain(bed.Endpoint.For("ec2"), r => r.Action == "CreateTags");
    }

    [Fact]
    public async Task CheckPermissions_NoClusterInRegion_EksDescribesUnverified()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = r => r.Service switch
        {
            "ec2" => AwsResponses.DryRunOk(),
            "eks" => AwsResponses.Json(200, """{"clusters":[]}"""),
            _ => new FakeResponse(200, """<DescribeAutoScalingGroupsResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/"><DescribeAutoScalingGroupsResult><AutoScalingGroups/></DescribeAutoScalingGroupsResult></DescribeAutoScalingGroupsResponse>"""),
        };

        var report = await bed.Cloud.Permissions.CheckAsync(AwsTestBed.Session(), AwsTestBed.Region);

        Assert.True(report.NoneMissing);
        Assert.Equal(
            [CloudActions.DescribeCluster, CloudActions.ListNodegroups, CloudActions.DescribeNodegroup, CloudActions.UpdateNodegroupConfig,
             CloudActions.PassRole, CloudActions.ReceiveMessage, CloudActions.DeleteMessage],
            report.Unverified);
    }

    [Fact]
    public async Task CheckPermissions_ThrottledThroughout_ThrowsInsteadOfGuessing()
    {
        await using var bed = await AwsTestBed.StartAsync(o => o.MaxRetries = 1);
        bed.Endpoint.Handler = _ => AwsResponses.RequestLimitExceeded();

        var error = await Assert.ThrowsAsync<CloudException>(() => bed.Cloud.Permissions.CheckAsync(AwsTestBed.Session(), AwsTestBed.Region));

        Assert.Equal(CloudErrorCodes.Throttled, error.Code);
    }
}

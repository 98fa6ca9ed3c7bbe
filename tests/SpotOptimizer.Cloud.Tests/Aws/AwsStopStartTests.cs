namespace SpotOptimizer.Cloud.Tests.Aws;

public sealed class AwsStopStartTests
{
    private const string Instance = Ec2ReferenceExamples.Instance;

    [Fact]
    public async Task StopInstances_ReferenceExample_SendsTheIdAndParsesRunningToStopping()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = _ => Ec2ReferenceExamples.StopInstances();

        var changes = await bed.Cloud.Instances.StopInstancesAsync(AwsTestBed.Session(), AwsTestBed.Region, [Instance], dryRun: false);

        Assert.Equal([new InstanceStateChange(Instance, InstanceState.Running, InstanceState.Stopping)], changes);
        var form = Assert.Single(bed.Endpoint.Requests).Form;
        Assert.Equal(("StopInstances", "2016-11-15", Instance), (form["Action"], form["Version"], form["InstanceId.1"]));
        Assert.DoesNotContain("DryRun", form.Keys);
    }

    [Fact]
    public async Task StartInstances_ReferenceExample_SendsTheIdAndParsesStoppedToPending()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = _ => Ec2ReferenceExamples.StartInstances();

        var changes = await bed.Cloud.Instances.StartInstancesAsync(AwsTestBed.Session(), AwsTestBed.Region, [Instance], dryRun: false);

        Assert.Equal([new InstanceStateChange(Instance, InstanceState.Stopped, InstanceState.Pending)], changes);
        Assert.Equal(("StartInstances", Instance), (Assert.Single(bed.Endpoint.Requests).Action, bed.Endpoint.Requests.Single().Form["InstanceId.1"]));
    }

    [Fact]
    public async Task StopInstances_DryRun_AnswersTheChangeFromTheInstancesStateWithoutStopping()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = r => r.Action switch
        {
            "StopInstances" when r.Form.GetValueOrDefault("DryRun") == "true" => AwsResponses.DryRunOk(),
            "DescribeInstances" => AwsResponses.DescribeInstances(null, [Running(Instance)]),
            _ => AwsResponses.Ec2Error(400, "Unexpected", "a dry run must not stop"),
        };

        var changes = await bed.Cloud.Instances.StopInstancesAsync(AwsTestBed.Session(), AwsTestBed.Region, [Instance], dryRun: true);

        Assert.Equal([new InstanceStateChange(Instance, InstanceState.Running, InstanceState.Stopping)], changes);
        Assert.Equal(["StopInstances", "DescribeInstances"], bed.Endpoint.Requests.Select(r => r.Action));
    }

    [Fact]
    public async Task StartInstances_DryRunOnAStoppingInstance_ThrowsIncorrectInstanceState()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = r => r.Action == "StartInstances"
            ? AwsResponses.DryRunOk()
            : AwsResponses.DescribeInstances(null, [AwsResponses.Instance(Instance, "m5.large", "us-east-1a", "stopping", null, "2026-03-02T09:30:05.000Z", "ip-10-0-1-7.ec2.internal")]);

        var error = await Assert.ThrowsAsync<CloudException>(() => bed.Cloud.Instances.StartInstancesAsync(AwsTestBed.Session(), AwsTestBed.Region, [Instance], dryRun: true));

        Assert.Equal((CloudErrorCodes.InvalidRequest, "IncorrectInstanceState"), (error.Code, error.ProviderCode));
    }

    [Fact]
    public async Task StopInstances_Ec2RefusesTheState_IsAnInvalidRequestNamingEc2sCode()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = _ => AwsResponses.Ec2Error(400, "IncorrectInstanceState", $"This instance '{Instance}' is not in a state from which it can be stopped.");

        var error = await Assert.ThrowsAsync<CloudException>(() => bed.Cloud.Instances.StopInstancesAsync(AwsTestBed.Session(), AwsTestBed.Region, [Instance], dryRun: false));

        Assert.Equal((CloudErrorCodes.InvalidRequest, "IncorrectInstanceState", CloudActions.StopInstances), (error.Code, error.ProviderCode, error.Operation));
        Assert.False(error.Retryable);
    }

    [Fact]
    public async Task DescribeInstances_RootDevice_IsRead()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = _ => AwsResponses.DescribeInstances(null, [Running(Instance)]);

        var instance = Assert.Single(await bed.Cloud.Ec2.DescribeInstancesAsync(AwsTestBed.Session(), AwsTestBed.Region));

        Assert.Equal("/dev/xvda", instance.RootDeviceName);
    }

    private static string Running(string id) =>
        AwsResponses.Instance(id, "m5.large", "us-east-1a", "running", null, "2026-03-02T09:30:05.000Z", "ip-10-0-1-7.ec2.internal", ("eks:cluster-name", "prod-web"));
}

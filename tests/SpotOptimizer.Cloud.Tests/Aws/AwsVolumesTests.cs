namespace SpotOptimizer.Cloud.Tests.Aws;

public sealed class AwsVolumesTests
{
    private const string Volume = "vol-049df61146c4d7901";

    [Fact]
    public async Task DetachVolume_Live_SendsVolumeIdAndParsesTheDetachingAttachment()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = _ => AwsWriteResponses.DetachVolume(Volume, "i-0a1b2c3d4e5f60718", "/dev/sdf", "detaching");

        var attachment = await bed.Cloud.Volumes.DetachVolumeAsync(AwsTestBed.Session(), AwsTestBed.Region, Volume, dryRun: false);

        Assert.Equal(new VolumeAttachment(Volume, "i-0a1b2c3d4e5f60718", "/dev/sdf", VolumeAttachmentState.Detaching), attachment);
        var form = Assert.Single(bed.Endpoint.Requests).Form;
        Assert.Equal(("DetachVolume", "2016-11-15", Volume), (form["Action"], form["Version"], form["VolumeId"]));
        Assert.DoesNotContain("DryRun", form.Keys);
    }

    [Fact]
    public async Task DetachVolume_DryRun_ReadsTheAttachmentAndAnswersItAsDetaching()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = r => r.Action switch
        {
            "DetachVolume" when r.Form.GetValueOrDefault("DryRun") == "true" => AwsResponses.DryRunOk(),
            "DescribeVolumes" => AwsWriteResponses.DescribeVolume(Volume, "i-0a1b2c3d4e5f60718"),
            _ => AwsResponses.Ec2Error(400, "Unexpected", "a dry run must not detach"),
        };

        var attachment = await bed.Cloud.Volumes.DetachVolumeAsync(AwsTestBed.Session(), AwsTestBed.Region, Volume, dryRun: true);

        Assert.Equal(new VolumeAttachment(Volume, "i-0a1b2c3d4e5f60718", "/dev/sdf", VolumeAttachmentState.Detaching), attachment);
        var requests = bed.Endpoint.Requests.ToList();
        Assert.Equal(["DetachVolume", "DescribeVolumes"], requests.Select(r => r.Action));
        Assert.Equal(("true", Volume), (requests[0].Form["DryRun"], requests[1].Form["VolumeId.1"]));
    }

    [Fact]
    public async Task DetachVolume_DryRunOnUnattachedVolume_ThrowsInvalidRequest()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = r => r.Action == "DetachVolume" ? AwsResponses.DryRunOk() : AwsWriteResponses.DescribeVolume(Volume, null);

        var error = await Assert.ThrowsAsync<CloudException>(() => bed.Cloud.Volumes.DetachVolumeAsync(AwsTestBed.Session(), AwsTestBed.Region, Volume, dryRun: true));

        Assert.Equal((CloudErrorCodes.InvalidRequest, "IncorrectState"), (error.Code, error.ProviderCode));
    }

    [Fact]
    public async Task DetachVolume_DryRunUnauthorized_ThrowsMissingPermission()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = _ => AwsResponses.Unauthorized();

        var error = await Assert.ThrowsAsync<CloudException>(() => bed.Cloud.Volumes.DetachVolumeAsync(AwsTestBed.Session(), AwsTestBed.Region, Volume, dryRun: true));

        Assert.Equal("missing_permission:ec2:DetachVolume", error.Code);
        Assert.Single(bed.Endpoint.Requests);
    }

    [Fact]
    public async Task DetachVolume_UnknownVolume_ThrowsNotFound()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = _ => AwsResponses.Ec2Error(400, "InvalidVolume.NotFound", $"The volume '{Volume}' does not exist.");

        var error = await Assert.ThrowsAsync<CloudException>(() => bed.Cloud.Volumes.DetachVolumeAsync(AwsTestBed.Session(), AwsTestBed.Region, Volume, dryRun: false));

        Assert.Equal((CloudErrorCodes.NotFound, "InvalidVolume.NotFound"), (error.Code, error.ProviderCode));
    }

    [Fact]
    public async Task AttachVolume_ReferenceExample_SendsVolumeInstanceAndDeviceAndParsesTheAttachingAttachment()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = _ => Ec2ReferenceExamples.AttachVolume();

        var attachment = await bed.Cloud.Volumes.AttachVolumeAsync(AwsTestBed.Session(), AwsTestBed.Region,
            Ec2ReferenceExamples.Volume, Ec2ReferenceExamples.Instance, "/dev/sdh", dryRun: false);

        Assert.Equal(new VolumeAttachment(Ec2ReferenceExamples.Volume, Ec2ReferenceExamples.Instance, "/dev/sdh", VolumeAttachmentState.Attaching), attachment);
        var form = Assert.Single(bed.Endpoint.Requests).Form;
        Assert.Equal(("AttachVolume", Ec2ReferenceExamples.Volume, Ec2ReferenceExamples.Instance, "/dev/sdh"),
            (form["Action"], form["VolumeId"], form["InstanceId"], form["Device"]));
    }

    [Fact]
    public async Task AttachVolume_DryRunOnAnAttachedVolume_ThrowsVolumeInUse()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = r => r.Action == "AttachVolume" ? AwsResponses.DryRunOk() : Ec2ReferenceExamples.DescribeVolumes();

        var error = await Assert.ThrowsAsync<CloudException>(() => bed.Cloud.Volumes.AttachVolumeAsync(AwsTestBed.Session(), AwsTestBed.Region,
            Ec2ReferenceExamples.Volume, "i-0fedcba9876543210", "/dev/sdh", dryRun: true));

        Assert.Equal((CloudErrorCodes.InvalidRequest, "VolumeInUse"), (error.Code, error.ProviderCode));
        Assert.Equal(["AttachVolume", "DescribeVolumes"], bed.Endpoint.Requests.Select(r => r.Action));
    }

    [Fact]
    public async Task AttachVolume_DryRunOnAnAvailableVolume_AnswersTheWouldBeAttachment()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = r => r.Action == "AttachVolume" ? AwsResponses.DryRunOk() : AwsWriteResponses.DescribeVolume(Volume, null);

        var attachment = await bed.Cloud.Volumes.AttachVolumeAsync(AwsTestBed.Session(), AwsTestBed.Region, Volume, "i-0a1b2c3d4e5f60718", "/dev/sdf", dryRun: true);

        Assert.Equal(new VolumeAttachment(Volume, "i-0a1b2c3d4e5f60718", "/dev/sdf", VolumeAttachmentState.Attaching), attachment);
        Assert.Equal("true", bed.Endpoint.Requests.First().Form["DryRun"]);
    }

    [Fact]
    public async Task AttachVolume_VolumeInAnotherZone_IsAnInvalidRequestNamingEc2sCode()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = _ => AwsResponses.Ec2Error(400, "InvalidVolume.ZoneMismatch",
            $"The volume '{Volume}' is not in the same availability zone as instance 'i-0a1b2c3d4e5f60718'");

        var error = await Assert.ThrowsAsync<CloudException>(() => bed.Cloud.Volumes.AttachVolumeAsync(AwsTestBed.Session(), AwsTestBed.Region,
            Volume, "i-0a1b2c3d4e5f60718", "/dev/sdf", dryRun: false));

        Assert.Equal((CloudErrorCodes.InvalidRequest, "InvalidVolume.ZoneMismatch"), (error.Code, error.ProviderCode));
    }

    [Fact]
    public async Task DescribeAttachedVolumes_ReferenceExample_FiltersByInstanceAndParsesItsAttachment()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = _ => Ec2ReferenceExamples.DescribeVolumes();

        var attachments = await bed.Cloud.Volumes.DescribeAttachedVolumesAsync(AwsTestBed.Session(), AwsTestBed.Region, Ec2ReferenceExamples.Instance);

        Assert.Equal([new VolumeAttachment(Ec2ReferenceExamples.Volume, Ec2ReferenceExamples.Instance, "/dev/sdh", VolumeAttachmentState.Attached)], attachments);
        var form = Assert.Single(bed.Endpoint.Requests).Form;
        Assert.Equal(("DescribeVolumes", "attachment.instance-id", Ec2ReferenceExamples.Instance),
            (form["Action"], form["Filter.1.Name"], form["Filter.1.Value.1"]));
    }

    [Fact]
    public async Task DescribeAttachedVolumes_AnotherInstancesAttachment_IsLeftOut()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = _ => Ec2ReferenceExamples.DescribeVolumes();

        var attachments = await bed.Cloud.Volumes.DescribeAttachedVolumesAsync(AwsTestBed.Session(), AwsTestBed.Region, "i-0fedcba9876543210");

        Assert.Empty(attachments);
    }
}

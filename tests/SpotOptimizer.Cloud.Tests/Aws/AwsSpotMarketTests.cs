namespace SpotOptimizer.Cloud.Tests.Aws;

public sealed class AwsSpotMarketTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset End = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task GetPriceHistory_TwoPages_FollowsNextTokenAndSendsLinuxTypesAndTimes()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = r => r.Form.ContainsKey("NextToken")
            ? AwsWriteResponses.SpotPriceHistory(null, ("us-east-1b", "c5.xlarge", "0.071200", "2026-02-28T22:10:00.000Z"))
            : AwsWriteResponses.SpotPriceHistory("page-2",
                ("us-east-1a", "m5.large", "0.038100", "2026-03-01T06:00:00.000Z"),
                ("us-east-1a", "m5.large", "0.036700", "2026-03-01T18:30:00.000Z"));

        var prices = await bed.Cloud.SpotMarket.GetPriceHistoryAsync(AwsTestBed.Session(), AwsTestBed.Region, new SpotPriceQuery(["m5.large", "c5.xlarge"], Start, End));

        Assert.Equal(
            [
                new SpotPrice("us-east-1a", "m5.large", 0.0367m, new DateTimeOffset(2026, 3, 1, 18, 30, 0, TimeSpan.Zero)),
                new SpotPrice("us-east-1a", "m5.large", 0.0381m, new DateTimeOffset(2026, 3, 1, 6, 0, 0, TimeSpan.Zero)),
                new SpotPrice("us-east-1b", "c5.xlarge", 0.0712m, new DateTimeOffset(2026, 2, 28, 22, 10, 0, TimeSpan.Zero)),
            ],
            prices);
        var requests = bed.Endpoint.For("ec2").ToList();
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r =>
        {
            Assert.Equal(("DescribeSpotPriceHistory", "2016-11-15", "Linux/UNIX"), (r.Action, r.Form["Version"], r.Form["ProductDescription.1"]));
            Assert.Equal(("m5.large", "c5.xlarge"), (r.Form["InstanceType.1"], r.Form["InstanceType.2"]));
            Assert.Equal(("2026-03-01T00:00:00Z", "2026-03-02T00:00:00Z", "1000"), (r.Form["StartTime"], r.Form["EndTime"], r.Form["MaxResults"]));
            Assert.DoesNotContain("AvailabilityZone", r.Form.Keys);
        });
        Assert.Equal("page-2", requests[1].Form["NextToken"]);
    }

    [Fact]
    public async Task GetPriceHistory_OneZone_UsesAvailabilityZoneParameter()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = _ => AwsWriteResponses.SpotPriceHistory(null, ("us-east-1c", "m5.large", "0.04", "2026-03-01T01:00:00.000Z"));

        var prices = await bed.Cloud.SpotMarket.GetPriceHistoryAsync(AwsTestBed.Session(), AwsTestBed.Region, new SpotPriceQuery(["m5.large"], Start, End, ["us-east-1c"]));

        Assert.Equal("us-east-1c", Assert.Single(prices).AvailabilityZone);
        var form = Assert.Single(bed.Endpoint.Requests).Form;
        Assert.Equal("us-east-1c", form["AvailabilityZone"]);
        Assert.DoesNotContain("Filter.1.Name", form.Keys);
    }

    [Fact]
    public async Task GetPriceHistory_SeveralZones_UsesAvailabilityZoneFilter()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = _ => AwsWriteResponses.SpotPriceHistory(null);

        await bed.Cloud.SpotMarket.GetPriceHistoryAsync(AwsTestBed.Session(), AwsTestBed.Region, new SpotPriceQuery(["m5.large"], Start, End, ["us-east-1a", "us-east-1d"]));

        var form = Assert.Single(bed.Endpoint.Requests).Form;
        Assert.Equal(("availability-zone", "us-east-1a", "us-east-1d"), (form["Filter.1.Name"], form["Filter.1.Value.1"], form["Filter.1.Value.2"]));
        Assert.DoesNotContain("AvailabilityZone", form.Keys);
    }

    [Fact]
    public async Task GetPriceHistory_RepeatedNextToken_FailsInsteadOfLooping()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = _ => AwsWriteResponses.SpotPriceHistory("same", ("us-east-1a", "m5.large", "0.04", "2026-03-01T01:00:00.000Z"));

        var error = await Assert.ThrowsAsync<CloudException>(() =>
            bed.Cloud.SpotMarket.GetPriceHistoryAsync(AwsTestBed.Session(), AwsTestBed.Region, new SpotPriceQuery(["m5.large"], Start, End)));

        Assert.Equal((CloudErrorCodes.CloudError, CloudActions.DescribeSpotPriceHistory), (error.Code, error.Operation));
        Assert.Equal(2, bed.Endpoint.Requests.Count);
    }

    [Fact]
    public async Task GetPriceHistory_EndNotAfterStart_InvalidWithoutCalling()
    {
        await using var bed = await AwsTestBed.StartAsync();

        var error = await Assert.ThrowsAsync<CloudException>(() =>
            bed.Cloud.SpotMarket.GetPriceHistoryAsync(AwsTestBed.Session(), AwsTestBed.Region, new SpotPriceQuery(["m5.large"], End, Start)));

        Assert.Equal(CloudErrorCodes.InvalidRequest, error.Code);
        Assert.Empty(bed.Endpoint.Requests);
    }

    [Fact]
    public async Task GetCurrentPrices_AtTheClocksNow_KeepsTheNewestPricePerPool()
    {
        var clock = new TestClock(new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.Zero));
        await using var bed = await AwsTestBed.StartAsync(time: clock);
        bed.Endpoint.Handler = _ => AwsWriteResponses.SpotPriceHistory(null,
            ("us-east-1a", "m5.large", "0.036700", "2026-03-02T09:30:00.000Z"),
            ("us-east-1a", "m5.large", "0.038100", "2026-03-02T03:00:00.000Z"),
            ("us-east-1b", "m5.large", "0.041000", "2026-03-01T21:45:00.000Z"),
            ("us-east-1a", "c5.xlarge", "0.071200", "2026-02-28T22:10:00.000Z"));

        var prices = await bed.Cloud.SpotMarket.GetCurrentPricesAsync(AwsTestBed.Session(clock.GetUtcNow().AddHours(1)), AwsTestBed.Region, ["m5.large", "c5.xlarge"]);

        Assert.Equal(
            [("us-east-1a", "c5.xlarge", 0.0712m), ("us-east-1a", "m5.large", 0.0367m), ("us-east-1b", "m5.large", 0.041m)],
            prices.Select(p => (p.AvailabilityZone, p.InstanceType, p.PricePerHour)));
        var form = Assert.Single(bed.Endpoint.Requests).Form;
        Assert.Equal(("2026-03-02T09:30:00Z", "2026-03-02T09:30:00Z"), (form["StartTime"], form["EndTime"]));
    }

    [Fact]
    public async Task GetCurrentPrices_Unauthorized_ThrowsMissingPermission()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = _ => AwsResponses.Unauthorized();

        var error = await Assert.ThrowsAsync<CloudException>(() => bed.Cloud.SpotMarket.GetCurrentPricesAsync(AwsTestBed.Session(), AwsTestBed.Region, ["m5.large"]));

        Assert.Equal("missing_permission:ec2:DescribeSpotPriceHistory", error.Code);
    }
}

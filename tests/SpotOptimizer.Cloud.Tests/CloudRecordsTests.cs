using System.Text.Json;
using SpotOptimizer.Cloud.Tests.Simulation;

namespace SpotOptimizer.Cloud.Tests;

/// <summary>Grain messages are values: what crosses the cloud boundary must survive System.Text.Json unchanged.</summary>
public sealed class CloudRecordsTests
{
    [Fact]
    public async Task SessionAndInventory_JsonRoundTrip_Unchanged()
    {
        var tenant = await SimulatedTenant.StartAsync();
        var inventory = await tenant.ScanAsync();
        var report = await tenant.Cloud.Permissions.CheckAsync(tenant.Session, SimulatedTenant.Region);

        Assert.Equal(tenant.Session, RoundTrip(tenant.Session));
        Assert.Equal(JsonSerializer.Serialize(inventory), JsonSerializer.Serialize(RoundTrip(inventory)));
        Assert.Equal(report.Checks, RoundTrip(report).Checks);
    }

    [Fact]
    public void CloudSession_ToString_HidesTheSecret()
    {
        var session = Aws.AwsTestBed.Session();

        Assert.DoesNotContain(session.Credentials.SecretAccessKey, session.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(session.Credentials.SessionToken, session.ToString(), StringComparison.Ordinal);
    }

    private static T RoundTrip<T>(T value) => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(value))!;
}

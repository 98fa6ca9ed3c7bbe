using System.Text.Json;
using SpotOptimizer.Cloud;
using SpotOptimizer.Grains.Execution;

namespace SpotOptimizer.Api.Tests.Optimization;

/// <summary>
/// A failed job shows a stable code and a sentence written for a person, never the provider's or an exception's own
/// text; an internal failure also shows a reference that finds its log lines.
/// </summary>
public abstract class JobErrorTests(bool postgres)
{
    private const string RawProviderText = "UnauthorizedOperation: You are not authorized. Encoded authorization failure message: 4f8a RequestId=9c1e-77";
    private const string RawCrashText = "Object reference not set to an instance of an object. at Amazon.Runtime.Internal";

    [SkippableFact]
    public async Task CloudRefusal_JobShowsCodeAndPersonMessage_NotTheProviderText()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres, OptimizationJourney.Settings());
        var (tenant, clusterId) = await OptimizationJourney.ConnectedTenantAsync(app, "111122223333", $"errors-{Guid.NewGuid():N}@example.com");
        var code = CloudErrorCodes.MissingPermission("ec2:DescribeInstances");
        OptimizationJourney.SimulatedCloudOf(app).InjectFault(CloudActions.Any, new CloudException(code, RawProviderText), times: 50, accountId: "111122223333");

        var job = await OptimizationJourney.OptimizeAsync(tenant, clusterId);

        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.Equal(code, job.GetProperty("error_code").GetString());
        Assert.Equal(CloudErrorMessages.For(code), job.GetProperty("error").GetString());
        Assert.Contains("ec2:DescribeInstances", job.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("RequestId", job.GetRawText(), StringComparison.Ordinal);
        await AssertLedgerHasNoRawText(tenant);
    }

    [SkippableFact]
    public async Task InternalCrash_JobShowsReference_NotTheExceptionText()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres, OptimizationJourney.Settings());
        var (tenant, clusterId) = await OptimizationJourney.ConnectedTenantAsync(app, "111122223333", $"crash-{Guid.NewGuid():N}@example.com");
        OptimizationJourney.SimulatedCloudOf(app).InjectCrash(CloudActions.Any, RawCrashText, times: 50, accountId: "111122223333");

        var job = await OptimizationJourney.OptimizeAsync(tenant, clusterId);

        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.Equal("internal_error", job.GetProperty("error_code").GetString());
        var reference = job.GetProperty("error_reference").GetString()!;
        Assert.Matches("^err_[0-9a-f]{12}$", reference);
        Assert.Contains(reference, job.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Object reference", job.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", job.GetRawText(), StringComparison.Ordinal);
        await AssertLedgerHasNoRawText(tenant);
    }

    private static async Task AssertLedgerHasNoRawText(TenantClient tenant)
    {
        var audit = await tenant.GetJsonAsync("/api/audit?limit=200");
        var text = JsonSerializer.Serialize(audit);
        Assert.Contains("optimization.failed", text, StringComparison.Ordinal);
        Assert.DoesNotContain("RequestId", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Object reference", text, StringComparison.Ordinal);
    }
}

public sealed class SqliteJobErrorTests() : JobErrorTests(postgres: false);

public sealed class PostgresJobErrorTests() : JobErrorTests(postgres: true);

using System.Net;
using SpotOptimizer.Api.Tests.Sweeps;

namespace SpotOptimizer.Api.Tests.Optimization;

/// <summary>Malformed path values of the optimization routes get a 400 with a stable code, never a 404 or a 500.</summary>
public sealed class OptimizationBadInputTests
{
    [Theory]
    [InlineData("POST", "/api/clusters/not-a-uuid/optimize", "invalid_id")]
    [InlineData("GET", "/api/clusters/not-a-uuid/jobs", "invalid_id")]
    [InlineData("GET", "/api/jobs/42", "invalid_id")]
    [InlineData("GET", "/api/spot/regions/US_EAST/flags", "invalid_region")]
    [InlineData("GET", "/api/spot/regions/us-east-1-and-a-very-long-suffix-9/flags", "invalid_region")]
    public async Task MalformedPathValue_400WithCode(string method, string url, string code)
    {
        await using var app = SpotOptimizerApp.Sqlite();
        var tenant = await TenantClient.SignUpAsync(app);

        using var response = await tenant.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));

        await ProblemAssert.IsAsync(response, HttpStatusCode.BadRequest, code);
    }
}

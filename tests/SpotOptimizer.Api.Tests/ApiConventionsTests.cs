using System.Net;
using System.Text.Json;

namespace SpotOptimizer.Api.Tests;

public sealed class ApiConventionsTests : IClassFixture<ApiConventionsTests.App>
{
    private readonly HttpClient _client;

    public ApiConventionsTests(App app) => _client = app.Factory.CreateClient();

    [Fact]
    public async Task OpenApi_Get_ServesV1Document()
    {
        using var response = await _client.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.StartsWith("3.", document.RootElement.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        Assert.Equal("SpotOptimizer.Api | v1", document.RootElement.GetProperty("info").GetProperty("title").GetString());
    }

    [Fact]
    public async Task UnknownRoute_Get_Returns404ProblemDetails()
    {
        using var response = await _client.GetAsync("/no/such/route");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(404, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("Not Found", problem.RootElement.GetProperty("title").GetString());
        Assert.Equal("not_found", problem.RootElement.GetProperty("code").GetString());
        Assert.True(problem.RootElement.TryGetProperty("trace_id", out _));
    }

    [Theory]
    [InlineData("text/html,application/xhtml+xml")]
    [InlineData("text/plain")]
    [InlineData("*/*")]
    public async Task UnknownRoute_BrowserAccept_StillReturns404ProblemDetails(string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/dashboard-typo/settings");
        request.Headers.TryAddWithoutValidation("Accept", accept);
        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("not_found", problem.RootElement.GetProperty("code").GetString());
        Assert.Contains("/dashboard-typo/settings", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KnownRoute_WrongMethod_Returns405ProblemDetailsNamingTheAllowedOnes()
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, "/api/auth/token");
        request.Headers.TryAddWithoutValidation("Accept", "text/html");
        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("method_not_allowed", problem.RootElement.GetProperty("code").GetString());
        Assert.Contains("POST", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    /// <summary>One app for the read-only convention checks; they do not change its state.</summary>
    public sealed class App : IAsyncLifetime
    {
        public SpotOptimizerApp Factory { get; } = SpotOptimizerApp.Sqlite();

        public Task InitializeAsync() => Task.CompletedTask;

        public Task DisposeAsync() => Factory.DisposeAsync().AsTask();
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Api.Tests.Auth;

public sealed class AuthHardeningTests
{
    [Theory]
    [InlineData("first.last@localhost")]
    [InlineData("user@example.")]
    [InlineData("user@-example.com")]
    [InlineData("user@exa_mple.com")]
    [InlineData("user.@example.com")]
    public async Task Signup_EmailWithoutRoutableDomain_400NamingEmail(string email)
    {
        await using var app = SpotOptimizerApp.Sqlite();
        using var response = await app.CreateClient().PostAsJsonAsync("/api/auth/signup", new { org_name = "Acme", email, password = TenantClient.Password });

        var problem = await TenantClient.ExpectAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("validation_failed", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("email", out _));
    }

    [SkippableFact]
    public async Task Logout_OnOneInstanceSharingPostgres_OtherInstanceRefusesTokenWithinRefreshInterval()
    {
        var server = await PostgresServer.RequireAsync();
        var database = await server.CreateDatabaseAsync();
        try
        {
            await using var first = SpotOptimizerApp.Postgres(database);
            await using var second = SpotOptimizerApp.Postgres(database);
            var tenant = await TenantClient.SignUpAsync(first);
            var elsewhere = second.CreateClient();
            elsewhere.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tenant.Token);
            using (var before = await elsewhere.GetAsync("/api/auth/me")) Assert.Equal(HttpStatusCode.OK, before.StatusCode);

            await tenant.PostJsonAsync("/api/auth/logout", null);

            await Eventually.Wait(
                async () => (await elsewhere.GetAsync("/api/auth/me")).StatusCode,
                status => status == HttpStatusCode.Unauthorized,
                within: TimeSpan.FromSeconds(15), what: "the other instance to refuse the logged-out token");
        }
        finally
        {
            await server.DropDatabaseAsync(database);
        }
    }
}

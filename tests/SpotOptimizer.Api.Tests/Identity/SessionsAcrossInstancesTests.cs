using System.Net;
using SpotOptimizer.Api.Tests.Sweeps;
using SpotOptimizer.Testing;
using static SpotOptimizer.Api.Tests.Identity.IdentityJourney;

namespace SpotOptimizer.Api.Tests.Identity;

/// <summary>Two API instances on one PostgreSQL database: a session ended on one is refused by the other within seconds.</summary>
public sealed class SessionsAcrossInstancesTests
{
    [SkippableFact]
    public async Task Refresh_StolenCopyReusedOnOtherInstance_FirstInstanceRefusesTheSessionsAccessToken()
    {
        var server = await PostgresServer.RequireAsync();
        var database = await server.CreateDatabaseAsync();
        try
        {
            await using var first = SpotOptimizerApp.Postgres(database);
            await using var second = SpotOptimizerApp.Postgres(database);
            var stolen = await SignUpAsync(first);
            var legit = await RefreshAsync(first, stolen);
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(second, "/api/auth/me", legit.Access));

            using (var reuse = await PostAsync(second, "/api/auth/refresh", new { refresh_token = stolen.Refresh }))
            {
                await ProblemAssert.IsAsync(reuse, HttpStatusCode.Unauthorized, "refresh_token_reused");
            }

            // The refresh token is checked in the database: refused everywhere at once.
            using (var newer = await PostAsync(first, "/api/auth/refresh", new { refresh_token = legit.Refresh }))
            {
                await ProblemAssert.IsAsync(newer, HttpStatusCode.Unauthorized, "invalid_refresh_token");
            }

            // The access token is checked in memory: the first instance learns of the revocation on its next reload.
            await Eventually.Wait(
                () => StatusAsync(first, "/api/auth/me", legit.Access),
                status => status == HttpStatusCode.Unauthorized,
                within: TimeSpan.FromSeconds(15), what: "the first instance to refuse the ended session's access token");
        }
        finally
        {
            await server.DropDatabaseAsync(database);
        }
    }
}

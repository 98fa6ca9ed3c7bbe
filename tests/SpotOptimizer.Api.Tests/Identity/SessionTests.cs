using System.Net;
using SpotOptimizer.Api.Tests.Auth;
using SpotOptimizer.Api.Tests.Sweeps;
using static SpotOptimizer.Api.Tests.Identity.IdentityJourney;

namespace SpotOptimizer.Api.Tests.Identity;

/// <summary>
/// Sessions through HTTP: refresh rotation, a reused refresh token ending its whole session, logout, expiry on the
/// product's clock, and changing the password ending the user's other sessions.
/// </summary>
public abstract class SessionTests(bool postgres)
{
    [SkippableFact]
    public async Task Refresh_CurrentToken_NewPairInTheSameSession()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres);
        var first = await SignUpAsync(app);

        var next = await RefreshAsync(app, first);

        Assert.NotEqual(first.Access, next.Access);
        Assert.NotEqual(first.Refresh, next.Refresh);
        Assert.StartsWith("sor_", next.Refresh, StringComparison.Ordinal);
        Assert.Equal(first.SessionId, next.SessionId);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(app, "/api/auth/me", next.Access));
        // The next one rotates again: rotation is not a one-off.
        var third = await RefreshAsync(app, next);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(app, "/api/auth/me", third.Access));
    }

    [SkippableFact]
    public async Task Refresh_SpentTokenPresentedAgain_EndsTheWholeSessionAndIsAudited()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres);
        var stolen = await SignUpAsync(app);
        var otherDevice = await SignInAsync(app, stolen.Email);
        var legit = await RefreshAsync(app, stolen);

        using (var reuse = await PostAsync(app, "/api/auth/refresh", new { refresh_token = stolen.Refresh }))
        {
            await ProblemAssert.IsAsync(reuse, HttpStatusCode.Unauthorized, "refresh_token_reused");
        }

        // The legitimate holder's newer refresh token and every access token of the session stop too.
        using (var newer = await PostAsync(app, "/api/auth/refresh", new { refresh_token = legit.Refresh }))
        {
            await ProblemAssert.IsAsync(newer, HttpStatusCode.Unauthorized, "invalid_refresh_token");
        }

        await ProblemAssert.IsAsync(await GetAsync(app, "/api/auth/me", legit.Access), HttpStatusCode.Unauthorized, "unauthorized");
        await ProblemAssert.IsAsync(await GetAsync(app, "/api/auth/me", stolen.Access), HttpStatusCode.Unauthorized, "unauthorized");
        // Another session of the same user is not part of the family.
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(app, "/api/auth/me", otherDevice.Access));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(app, "/api/auth/me", (await RefreshAsync(app, otherDevice)).Access));
        var reused = Assert.Single(await ActivityAsync(app, await SignInAsync(app, stolen.Email)), e => e.Contains("\"auth.refresh_token_reused\"", StringComparison.Ordinal));
        Assert.Contains(stolen.SessionId, reused, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Refresh_UnknownOrMissingToken_401Or400()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres);

        using var unknown = await PostAsync(app, "/api/auth/refresh", new { refresh_token = "sor_" + new string('a', 43) });
        using var missing = await PostAsync(app, "/api/auth/refresh", new { });

        await ProblemAssert.IsAsync(unknown, HttpStatusCode.Unauthorized, "invalid_refresh_token");
        await ProblemAssert.IsAsync(missing, HttpStatusCode.BadRequest, "validation_failed");
    }

    [SkippableFact]
    public async Task Logout_EndsItsSession_RefreshTokenRefusedOtherSessionKept()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres);
        var user = await SignUpAsync(app);
        var other = await SignInAsync(app, user.Email);

        using (var logout = await PostAsync(app, "/api/auth/logout", null, user.Access)) await TenantClient.ExpectAsync(logout, HttpStatusCode.OK);

        using (var refresh = await PostAsync(app, "/api/auth/refresh", new { refresh_token = user.Refresh }))
        {
            await ProblemAssert.IsAsync(refresh, HttpStatusCode.Unauthorized, "invalid_refresh_token");
        }

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(app, "/api/auth/me", (await RefreshAsync(app, other)).Access));
    }

    [SkippableFact]
    public async Task Tokens_OnTheProductsClock_AccessExpiresAfter15MinutesRefreshAfter30Days()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres);
        var clock = new ShiftedClock();
        var clocked = app.WithClock(clock);
        var user = await SignUpAsync(clocked);

        clock.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(clocked, "/api/auth/me", user.Access));
        clock.Advance(TimeSpan.FromMinutes(2));
        await ProblemAssert.IsAsync(await GetAsync(clocked, "/api/auth/me", user.Access), HttpStatusCode.Unauthorized, "unauthorized");
        var renewed = await RefreshAsync(clocked, user);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(clocked, "/api/auth/me", renewed.Access));

        clock.Advance(TimeSpan.FromDays(30) + TimeSpan.FromMinutes(1));

        using var late = await PostAsync(clocked, "/api/auth/refresh", new { refresh_token = renewed.Refresh });
        await ProblemAssert.IsAsync(late, HttpStatusCode.Unauthorized, "invalid_refresh_token");
    }

    [SkippableFact]
    public async Task ChangePassword_RightCurrentPassword_EndsOtherSessionsKeepsTheCallers()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres);
        var caller = await SignUpAsync(app);
        var elsewhere = await SignInAsync(app, caller.Email);

        using (var changed = await PostAsync(app, "/api/auth/password", new { current_password = Password, new_password = NewPassword }, caller.Access))
        {
            Assert.Equal(1, (await TenantClient.ExpectAsync(changed, HttpStatusCode.OK)).GetProperty("sessions_revoked").GetInt32());
        }

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(app, "/api/auth/me", caller.Access));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(app, "/api/auth/me", (await RefreshAsync(app, caller)).Access));
        await ProblemAssert.IsAsync(await GetAsync(app, "/api/auth/me", elsewhere.Access), HttpStatusCode.Unauthorized, "unauthorized");
        using (var refresh = await PostAsync(app, "/api/auth/refresh", new { refresh_token = elsewhere.Refresh }))
        {
            await ProblemAssert.IsAsync(refresh, HttpStatusCode.Unauthorized, "invalid_refresh_token");
        }

        await ProblemAssert.IsAsync(await PostAsync(app, "/api/auth/token", new { email = caller.Email, password = Password }), HttpStatusCode.Unauthorized, "invalid_credentials");
        var fresh = await SignInAsync(app, caller.Email, NewPassword);
        var activity = await ActivityAsync(app, fresh);
        Assert.Single(activity, e => e.Contains("\"user.password_changed\"", StringComparison.Ordinal));
        Assert.DoesNotContain(activity, e => e.Contains(NewPassword, StringComparison.Ordinal) || e.Contains(Password, StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task ChangePassword_WrongCurrentOrWeakNew_RefusedAndNothingChanges()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres);
        var caller = await SignUpAsync(app);
        var elsewhere = await SignInAsync(app, caller.Email);

        using var wrong = await PostAsync(app, "/api/auth/password", new { current_password = Password + "x", new_password = NewPassword }, caller.Access);
        using var weak = await PostAsync(app, "/api/auth/password", new { current_password = Password, new_password = "short" }, caller.Access);
        using var anonymous = await PostAsync(app, "/api/auth/password", new { current_password = Password, new_password = NewPassword });

        await ProblemAssert.IsAsync(wrong, HttpStatusCode.Forbidden, "wrong_password");
        Assert.Equal(["new_password"], ProblemAssert.ErrorFields(await ProblemAssert.IsAsync(weak, HttpStatusCode.BadRequest, "validation_failed")));
        await ProblemAssert.IsAsync(anonymous, HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(app, "/api/auth/me", elsewhere.Access));
        await SignInAsync(app, caller.Email, Password);
    }
}

public sealed class SqliteSessionTests() : SessionTests(postgres: false);

public sealed class PostgresSessionTests() : SessionTests(postgres: true);

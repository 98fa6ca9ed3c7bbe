using System.Net;
using SpotOptimizer.Api.Tests.Sweeps;
using SpotOptimizer.Testing;
using static SpotOptimizer.Api.Tests.Identity.IdentityJourney;

namespace SpotOptimizer.Api.Tests.Identity;

/// <summary>
/// Password reset by e-mailed link, through HTTP and a real SMTP server: the link works once, expires, ends every
/// session; an unknown address gets the same answer and no e-mail.
/// </summary>
public abstract class PasswordResetTests(bool postgres) : IDisposable
{
    private readonly SmtpSink _mail = new();

    public void Dispose() => _mail.Dispose();

    [SkippableFact]
    public async Task Reset_RealAccount_EmailedLinkSetsThePasswordOnceAndEndsEverySession()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres, _mail.Settings);
        var user = await SignUpAsync(app);

        using (var requested = await PostAsync(app, "/api/auth/password-reset", new { email = user.Email.ToUpperInvariant() }))
        {
            Assert.Equal(HttpStatusCode.Accepted, requested.StatusCode);
        }

        var mail = await _mail.WaitForAsync(user.Email);
        // Without Mail:PublicBaseUrl, links start with the address the request came to (the test server's).
        Assert.Contains("http://localhost/reset-password?token=", mail.Body.Replace("=\r\n", "", StringComparison.Ordinal).Replace("=3D", "=", StringComparison.Ordinal), StringComparison.Ordinal);
        var token = TokenFromLink(mail.Body, "/reset-password");

        using (var confirmed = await PostAsync(app, "/api/auth/password-reset/confirm", new { token, new_password = NewPassword }))
        {
            Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        }

        using (var again = await PostAsync(app, "/api/auth/password-reset/confirm", new { token, new_password = "Another-Pass-99" }))
        {
            await ProblemAssert.IsAsync(again, HttpStatusCode.BadRequest, "invalid_reset_token");
        }

        await ProblemAssert.IsAsync(await GetAsync(app, "/api/auth/me", user.Access), HttpStatusCode.Unauthorized, "unauthorized");
        using (var refresh = await PostAsync(app, "/api/auth/refresh", new { refresh_token = user.Refresh }))
        {
            await ProblemAssert.IsAsync(refresh, HttpStatusCode.Unauthorized, "invalid_refresh_token");
        }

        await ProblemAssert.IsAsync(await PostAsync(app, "/api/auth/token", new { email = user.Email, password = Password }), HttpStatusCode.Unauthorized, "invalid_credentials");
        var activity = await ActivityAsync(app, await SignInAsync(app, user.Email, NewPassword));
        Assert.Single(activity, e => e.Contains("\"user.password_reset_requested\"", StringComparison.Ordinal));
        Assert.Single(activity, e => e.Contains("\"user.password_reset\"", StringComparison.Ordinal));
        Assert.DoesNotContain(activity, e => e.Contains(token, StringComparison.Ordinal) || e.Contains(NewPassword, StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task Reset_UnknownEmail_Same202AndNoEmail()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres, _mail.Settings);
        var user = await SignUpAsync(app);
        var stranger = NewEmail("nobody");

        using var unknown = await PostAsync(app, "/api/auth/password-reset", new { email = stranger });
        using var known = await PostAsync(app, "/api/auth/password-reset", new { email = user.Email });

        Assert.Equal(HttpStatusCode.Accepted, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, known.StatusCode);
        Assert.Equal(await known.Content.ReadAsStringAsync(), await unknown.Content.ReadAsStringAsync());
        // The outbox sends in order: once the real account's e-mail is here, one for the stranger would be too.
        await _mail.WaitForAsync(user.Email);
        Assert.DoesNotContain(_mail.Received, m => m.To.Contains(stranger, StringComparer.OrdinalIgnoreCase));
        Assert.Single(_mail.Received);
    }

    [SkippableFact]
    public async Task Reset_LinkOlderThanAnHour_RefusedAndThePasswordStays()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres,
            new Dictionary<string, string?>(_mail.Settings) { ["Mail:PublicBaseUrl"] = "https://app.spotoptimizer.example/" });
        var clock = new ShiftedClock();
        var clocked = app.WithClock(clock);
        var user = await SignUpAsync(clocked);
        using (var requested = await PostAsync(clocked, "/api/auth/password-reset", new { email = user.Email })) Assert.Equal(HttpStatusCode.Accepted, requested.StatusCode);
        var mail = await _mail.WaitForAsync(user.Email);
        Assert.Contains("https://app.spotoptimizer.example/reset-password?token", mail.Body.Replace("=\r\n", "", StringComparison.Ordinal), StringComparison.Ordinal);

        clock.Advance(TimeSpan.FromMinutes(61));

        using var expired = await PostAsync(clocked, "/api/auth/password-reset/confirm", new { token = TokenFromLink(mail.Body, "/reset-password"), new_password = NewPassword });
        await ProblemAssert.IsAsync(expired, HttpStatusCode.BadRequest, "invalid_reset_token");
        await SignInAsync(clocked, user.Email, Password);
    }

    [SkippableFact]
    public async Task Reset_ThirdRequestInAnHourAtLimitTwo_429()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres,
            new Dictionary<string, string?>(_mail.Settings) { ["Auth:PasswordResetsPerHourPerClient"] = "2" });
        for (var i = 0; i < 2; i++)
        {
            using var allowed = await PostAsync(app, "/api/auth/password-reset", new { email = NewEmail() });
            Assert.Equal(HttpStatusCode.Accepted, allowed.StatusCode);
        }

        using var third = await PostAsync(app, "/api/auth/password-reset", new { email = NewEmail() });

        await ProblemAssert.IsAsync(third, HttpStatusCode.TooManyRequests, "rate_limited");
    }
}

public sealed class SqlitePasswordResetTests() : PasswordResetTests(postgres: false);

public sealed class PostgresPasswordResetTests() : PasswordResetTests(postgres: true);

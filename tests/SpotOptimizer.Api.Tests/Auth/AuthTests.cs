using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using SpotOptimizer.Api.Auth;
using SpotOptimizer.Api.Tests.Sweeps;
using SpotOptimizer.Silo.Storage;
using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Api.Tests.Auth;

/// <summary>
/// Sign-up, sign-in and the bearer token through HTTP: what is issued, what is refused and how, logout surviving a
/// restart, forged and expired tokens, the per-client rate limits, and the configured super admin.
/// </summary>
public sealed class AuthTests(AuthTests.Shared shared) : IClassFixture<AuthTests.Shared>
{
    private const string Password = TenantClient.Password;

    private SpotOptimizerApp App => shared.App;

    [Fact]
    public async Task Signup_NewEmail_201WithUserOrganizationAndToken()
    {
        var email = NewEmail();

        using var response = await PostAsync(App, "/api/auth/signup", new { org_name = "Acme", email, password = Password });

        var body = await TenantClient.ExpectAsync(response, HttpStatusCode.Created);
        var userId = body.GetProperty("user_id").GetString()!;
        var organizationId = body.GetProperty("organization_id").GetString()!;
        Assert.True(Guid.TryParse(userId, out _) && Guid.TryParse(organizationId, out _), body.GetRawText());
        var me = await GetAsync(App, "/api/auth/me", body.GetProperty("token").GetString());
        var user = await TenantClient.ExpectAsync(me, HttpStatusCode.OK);
        Assert.Equal(userId, user.GetProperty("user_id").GetString());
        Assert.Equal(organizationId, user.GetProperty("organization_id").GetString());
        Assert.Equal(email, user.GetProperty("email").GetString());
        Assert.Equal("Acme", user.GetProperty("organization_name").GetString());
        Assert.Equal("client", user.GetProperty("role").GetString());
    }

    [Fact]
    public async Task Signup_SameEmailInOtherCase_409EmailTakenAndNoSecondOrganization()
    {
        var email = NewEmail();
        using (var first = await PostAsync(App, "/api/auth/signup", new { org_name = "First", email, password = Password }))
        {
            Expect(first, HttpStatusCode.Created);
        }

        var organizations = await OrganizationNamesAsync();

        using var second = await PostAsync(App, "/api/auth/signup", new { org_name = "Second", email = email.ToUpperInvariant(), password = Password });

        await ProblemAssert.IsAsync(second, HttpStatusCode.Conflict, "email_taken");
        Assert.Equal(organizations, await OrganizationNamesAsync());
        // The one account answers to the email in any case.
        using var token = await PostAsync(App, "/api/auth/token", new { email = email.ToUpperInvariant(), password = Password });
        Expect(token, HttpStatusCode.OK);
    }

    public static TheoryData<string, string> WeakPasswords() => new()
    {
        { "too short", "Sh0rt-pw!" },
        { "only lower-case letters", "onlylowercaseletters" },
        { "upper case and digits only", "ALLUPPERCASE2024" },
        { "contains the email's name", "Margaret.Smith-2024" },
        { "the email's name in other case", "xMARGARET.SMITHx-99" },
        { "over 128 characters", "Aa1-" + new string('a', 125) },
    };

    [Theory]
    [MemberData(nameof(WeakPasswords))]
    public async Task Signup_WeakPassword_400ValidationFailedNamingPassword(string why, string password)
    {
        Assert.False(string.IsNullOrEmpty(why));
        var email = $"margaret.smith@{Guid.NewGuid():N}.example.com";

        using var response = await PostAsync(App, "/api/auth/signup", new { org_name = "Weak", email, password });

        var problem = await ProblemAssert.IsAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal(["password"], ProblemAssert.ErrorFields(problem));
        using var token = await PostAsync(App, "/api/auth/token", new { email, password });
        await ProblemAssert.IsAsync(token, HttpStatusCode.Unauthorized, "invalid_credentials");
    }

    [Fact]
    public async Task Signup_StrongPassword_IsAcceptedByThePolicy()
    {
        // The control for the weak-password cases: the too-short one with one more character, from an email of the same shape, is taken.
        using var response = await PostAsync(App, "/api/auth/signup",
            new { org_name = "Strong", email = $"margaret.smith@{Guid.NewGuid():N}.example.com", password = "Sh0rt-pw!!" });

        Expect(response, HttpStatusCode.Created);
    }

    [Theory]
    [InlineData("plainaddress")]
    [InlineData("@example.com")]
    [InlineData("user@")]
    [InlineData("user@@example.com")]
    [InlineData("Joe <joe@example.com>")]
    [InlineData("two words@example.com")]
    [InlineData("user@localhost")]
    public async Task Signup_InvalidEmail_400ValidationFailedNamingEmail(string email)
    {
        using var response = await PostAsync(App, "/api/auth/signup", new { org_name = "Acme", email, password = Password });

        var problem = await ProblemAssert.IsAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal(["email"], ProblemAssert.ErrorFields(problem));
    }

    [Fact]
    public async Task Token_GoodCredentials_200JwtTokenAndClientRole()
    {
        var tenant = await TenantClient.SignUpAsync(App);

        using var response = await PostAsync(App, "/api/auth/token", new { email = tenant.Email, password = Password });

        var body = await TenantClient.ExpectAsync(response, HttpStatusCode.OK);
        Assert.Equal("client", body.GetProperty("role").GetString());
        var token = body.GetProperty("jwt_token").GetString()!;
        Assert.NotEqual(tenant.Token, token);
        Expect(await GetAsync(App, "/api/auth/me", token), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Token_WrongPasswordOrUnknownEmail_Identical401InvalidCredentials()
    {
        var tenant = await TenantClient.SignUpAsync(App);

        using var wrongPassword = await PostAsync(App, "/api/auth/token", new { email = tenant.Email, password = Password + "x" });
        using var unknownEmail = await PostAsync(App, "/api/auth/token", new { email = NewEmail(), password = Password });

        var wrong = await ProblemAssert.IsAsync(wrongPassword, HttpStatusCode.Unauthorized, "invalid_credentials");
        var unknown = await ProblemAssert.IsAsync(unknownEmail, HttpStatusCode.Unauthorized, "invalid_credentials");
        Assert.Equal(ProblemAssert.WithoutTraceId(unknown), ProblemAssert.WithoutTraceId(wrong));
        Assert.Equal(unknown.GetProperty("title").GetString(), wrong.GetProperty("title").GetString());
        Assert.Equal(unknown.GetProperty("detail").GetString(), wrong.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Token_Claims_SubOrgRolesJtiSidAndExpiryIn15Minutes()
    {
        var email = NewEmail();
        using var signup = await PostAsync(App, "/api/auth/signup", new { org_name = "Claims", email, password = Password });
        var created = await TenantClient.ExpectAsync(signup, HttpStatusCode.Created);
        var before = DateTimeOffset.UtcNow;

        using var response = await PostAsync(App, "/api/auth/token", new { email, password = Password });

        var after = DateTimeOffset.UtcNow;
        var body = await TenantClient.ExpectAsync(response, HttpStatusCode.OK);
        var claims = TestJwt.Payload(body.GetProperty("jwt_token").GetString()!);
        Assert.Equal(created.GetProperty("user_id").GetString(), claims.GetProperty("sub").GetString());
        Assert.Equal(created.GetProperty("organization_id").GetString(), claims.GetProperty("org").GetString());
        Assert.Equal("client", claims.GetProperty("role").GetString());
        Assert.Equal("owner", claims.GetProperty("org_role").GetString());
        Assert.False(string.IsNullOrWhiteSpace(claims.GetProperty("jti").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(claims.GetProperty("sid").GetString()));
        Assert.NotEqual(claims.GetProperty("jti").GetString(), TestJwt.Payload(created.GetProperty("token").GetString()!).GetProperty("jti").GetString());
        var expires = DateTimeOffset.FromUnixTimeSeconds(claims.GetProperty("exp").GetInt64());
        Assert.InRange(expires, before.AddMinutes(15).AddSeconds(-1), after.AddMinutes(15).AddSeconds(1));
        Assert.Equal(expires, DateTimeOffset.FromUnixTimeSeconds(body.GetProperty("expires_at").GetDateTimeOffset().ToUnixTimeSeconds()));
    }

    [Fact]
    public async Task Me_WithoutToken_401Problem()
    {
        using var response = await GetAsync(App, "/api/auth/me", null);

        await ProblemAssert.IsAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Theory]
    [InlineData("not-a-jwt")]
    [InlineData("a.b.c")]
    [InlineData("soa_0123456789abcdef0123456789abcdef_agent-token")]
    public async Task Me_MalformedToken_401Problem(string token)
    {
        using var response = await GetAsync(App, "/api/auth/me", token);

        await ProblemAssert.IsAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Logout_ThenSameToken_401OnMeWhileTheUsersOtherTokenStillWorks()
    {
        var tenant = await TenantClient.SignUpAsync(App);
        var other = await TokenAsync(App, tenant.Email);

        using (var logout = await PostAsync(App, "/api/auth/logout", null, tenant.Token))
        {
            Assert.True((await TenantClient.ExpectAsync(logout, HttpStatusCode.OK)).GetProperty("success").GetBoolean());
        }

        await ProblemAssert.IsAsync(await GetAsync(App, "/api/auth/me", tenant.Token), HttpStatusCode.Unauthorized, "unauthorized");
        await ProblemAssert.IsAsync(await PostAsync(App, "/api/auth/logout", null, tenant.Token), HttpStatusCode.Unauthorized, "unauthorized");
        await ProblemAssert.IsAsync(await GetAsync(App, "/api/client/clusters", tenant.Token), HttpStatusCode.Unauthorized, "unauthorized");
        Expect(await GetAsync(App, "/api/auth/me", other), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Logout_AppRestartedOnSameDataDirectory_TokenStill401()
    {
        using var data = new TempDirectory();
        var settings = new Dictionary<string, string?> { [SiloStorage.DataDirectoryKey] = data.Child("data") };
        string loggedOut, kept;
        await using (var first = SpotOptimizerApp.With(settings))
        {
            var tenant = await TenantClient.SignUpAsync(first);
            loggedOut = tenant.Token;
            kept = await TokenAsync(first, tenant.Email);
            Expect(await PostAsync(first, "/api/auth/logout", null, loggedOut), HttpStatusCode.OK);
        }

        await using var second = SpotOptimizerApp.With(settings);

        await ProblemAssert.IsAsync(await GetAsync(second, "/api/auth/me", loggedOut), HttpStatusCode.Unauthorized, "unauthorized");
        // The control: the restarted app still knows the key and the user, so only the logout makes the difference.
        Expect(await GetAsync(second, "/api/auth/me", kept), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Me_TokenSignedByTestWithTheAppsKey_200()
    {
        // The control for the forged and expired tokens below: this signer's tokens are accepted when nothing is wrong.
        var tenant = await TenantClient.SignUpAsync(App);

        using var response = await GetAsync(App, "/api/auth/me", TestJwt.Sign(shared.Key, await ClaimsAsync(tenant, TimeSpan.FromHours(1))));

        var me = await TenantClient.ExpectAsync(response, HttpStatusCode.OK);
        Assert.Equal(tenant.Email, me.GetProperty("email").GetString());
    }

    [Fact]
    public async Task Me_TokenSignedWithAnotherKey_401()
    {
        var tenant = await TenantClient.SignUpAsync(App);

        var forged = TestJwt.Sign(RandomNumberGenerator.GetBytes(64), await ClaimsAsync(tenant, TimeSpan.FromHours(1)));

        await ProblemAssert.IsAsync(await GetAsync(App, "/api/auth/me", forged), HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Me_ExpiredToken_401()
    {
        var tenant = await TenantClient.SignUpAsync(App);

        // Five minutes past expiry: well beyond the 30 s clock skew the validator allows.
        var expired = TestJwt.Sign(shared.Key, await ClaimsAsync(tenant, TimeSpan.FromMinutes(-5)));

        await ProblemAssert.IsAsync(await GetAsync(App, "/api/auth/me", expired), HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Me_UnsignedAlgNoneToken_401()
    {
        var tenant = await TenantClient.SignUpAsync(App);

        var unsigned = TestJwt.Sign(null, await ClaimsAsync(tenant, TimeSpan.FromHours(1)));

        await ProblemAssert.IsAsync(await GetAsync(App, "/api/auth/me", unsigned), HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Theory]
    [InlineData("iss", "someone-else")]
    [InlineData("aud", "another-api")]
    public async Task Me_TokenForAnotherIssuerOrAudience_401(string claim, string value)
    {
        var tenant = await TenantClient.SignUpAsync(App);
        var claims = new Dictionary<string, object>(await ClaimsAsync(tenant, TimeSpan.FromHours(1))) { [claim] = value };

        await ProblemAssert.IsAsync(await GetAsync(App, "/api/auth/me", TestJwt.Sign(shared.Key, claims)), HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Signup_SixthInAnHourAtLimitFive_429RateLimitedWithRetryAfter()
    {
        await using var app = SpotOptimizerApp.With(new Dictionary<string, string?> { ["Auth:SignupsPerHourPerClient"] = "5" });
        for (var i = 0; i < 5; i++)
        {
            Expect(await PostAsync(app, "/api/auth/signup", new { org_name = $"Org {i}", email = NewEmail(), password = Password }), HttpStatusCode.Created);
        }

        var email = NewEmail();
        using var sixth = await PostAsync(app, "/api/auth/signup", new { org_name = "Org 6", email, password = Password });

        await ProblemAssert.IsAsync(sixth, HttpStatusCode.TooManyRequests, "rate_limited");
        AssertRetryAfter(sixth);
        Assert.Equal(5, (await app.Services.GetRequiredService<IdentityStore>().ListOrganizationsAsync(CancellationToken.None)).Count);
        await ProblemAssert.IsAsync(await PostAsync(app, "/api/auth/token", new { email, password = Password }), HttpStatusCode.Unauthorized, "invalid_credentials");
    }

    [Fact]
    public async Task Token_EleventhInAMinuteAtLimitTen_429RateLimitedWithRetryAfter()
    {
        await using var app = SpotOptimizerApp.With(new Dictionary<string, string?> { ["Auth:TokenRequestsPerMinutePerClient"] = "10" });
        var tenant = await TenantClient.SignUpAsync(app);
        for (var i = 0; i < 10; i++)
        {
            // Failed attempts count too: the limit is what stops password guessing.
            var password = i % 2 == 0 ? Password : "Wrong-Password-1";
            using var response = await PostAsync(app, "/api/auth/token", new { email = tenant.Email, password });
            Expect(response, i % 2 == 0 ? HttpStatusCode.OK : HttpStatusCode.Unauthorized);
        }

        using var eleventh = await PostAsync(app, "/api/auth/token", new { email = tenant.Email, password = Password });

        await ProblemAssert.IsAsync(eleventh, HttpStatusCode.TooManyRequests, "rate_limited");
        AssertRetryAfter(eleventh);
        // Only sign-in is limited: the signed-in tenant carries on.
        Expect(await GetAsync(app, "/api/auth/me", tenant.Token), HttpStatusCode.OK);
    }

    [Fact]
    public async Task SuperAdmin_Configured_TokenWithSuperAdminRoleAndMeRedirectsToAdmin()
    {
        const string email = "root@spotoptimizer.example";
        const string password = "Pl4tform-Admin-Secret";
        await using var app = SpotOptimizerApp.With(new Dictionary<string, string?>
        {
            ["Auth:SuperAdminEmail"] = email,
            ["Auth:SuperAdminPassword"] = password,
        });

        using var response = await PostAsync(app, "/api/auth/token", new { email, password });

        var body = await TenantClient.ExpectAsync(response, HttpStatusCode.OK);
        Assert.Equal("super_admin", body.GetProperty("role").GetString());
        var token = body.GetProperty("jwt_token").GetString()!;
        Assert.Equal("super_admin", TestJwt.Payload(token).GetProperty("role").GetString());
        var me = await TenantClient.ExpectAsync(await GetAsync(app, "/api/auth/me", token), HttpStatusCode.OK);
        Assert.Equal("/admin", me.GetProperty("redirect_path").GetString());
        Assert.Equal("super_admin", me.GetProperty("role").GetString());
        // The seeded password is the only one: a wrong one is refused like any other.
        await ProblemAssert.IsAsync(await PostAsync(app, "/api/auth/token", new { email, password = password + "!" }), HttpStatusCode.Unauthorized, "invalid_credentials");
    }

    [Fact]
    public async Task SuperAdmin_WeakConfiguredPassword_StartupFailsNamingTheSetting()
    {
        await using var app = SpotOptimizerApp.With(new Dictionary<string, string?>
        {
            ["Auth:SuperAdminEmail"] = "root@spotoptimizer.example",
            ["Auth:SuperAdminPassword"] = "password",
        });

        var failure = Record.Exception(() => app.CreateClient());

        Assert.NotNull(failure);
        var messages = string.Join(" | ", Flatten(failure).Select(e => e.Message));
        Assert.Contains("Auth:SuperAdminPassword", messages, StringComparison.Ordinal);
        Assert.Contains($"at least {PasswordPolicy.MinLength} characters", messages, StringComparison.Ordinal);
    }

    private static IEnumerable<Exception> Flatten(Exception exception)
    {
        yield return exception;
        var inner = exception is AggregateException aggregate ? aggregate.InnerExceptions : exception.InnerException is { } one ? [one] : [];
        foreach (var nested in inner.SelectMany(Flatten)) yield return nested;
    }

    private static void AssertRetryAfter(HttpResponseMessage response)
    {
        Assert.True(response.Headers.TryGetValues("Retry-After", out var values), "a 429 says when to retry");
        var seconds = int.Parse(values.Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(seconds > 0, $"Retry-After: {seconds}");
    }

    private static string NewEmail() => $"auth-{Guid.NewGuid():N}@example.com";

    private static void Expect(HttpResponseMessage response, HttpStatusCode expected) => Onboarding.Journey.AssertStatus(response, expected);

    private async Task<IReadOnlyList<string>> OrganizationNamesAsync() =>
        [.. (await App.Services.GetRequiredService<IdentityStore>().ListOrganizationsAsync(CancellationToken.None)).Select(o => o.Id)];

    /// <summary>The claims the app itself puts in a token for this tenant, expiring <paramref name="expiresIn"/> from now.</summary>
    private async Task<IReadOnlyDictionary<string, object>> ClaimsAsync(TenantClient tenant, TimeSpan expiresIn)
    {
        var userId = (await TenantClient.ExpectAsync(await GetAsync(App, "/api/auth/me", tenant.Token), HttpStatusCode.OK)).GetProperty("user_id").GetString()!;
        var now = DateTimeOffset.UtcNow;
        var issued = expiresIn < TimeSpan.Zero ? now.AddHours(-1) : now;
        return new Dictionary<string, object>
        {
            ["iss"] = AuthOptions.Issuer,
            ["aud"] = AuthOptions.Audience,
            ["sub"] = userId,
            ["org"] = tenant.OrganizationId,
            ["role"] = "client",
            ["email"] = tenant.Email,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["iat"] = issued.ToUnixTimeSeconds(),
            ["nbf"] = issued.ToUnixTimeSeconds(),
            ["exp"] = now.Add(expiresIn).ToUnixTimeSeconds(),
        };
    }

    private static async Task<string> TokenAsync(SpotOptimizerApp app, string email)
    {
        using var response = await PostAsync(app, "/api/auth/token", new { email, password = Password });
        return (await TenantClient.ExpectAsync(response, HttpStatusCode.OK)).GetProperty("jwt_token").GetString()!;
    }

    private static Task<HttpResponseMessage> GetAsync(SpotOptimizerApp app, string url, string? token) => SendAsync(app, HttpMethod.Get, url, null, token);

    private static Task<HttpResponseMessage> PostAsync(SpotOptimizerApp app, string url, object? body, string? token = null) =>
        SendAsync(app, HttpMethod.Post, url, body, token);

    private static async Task<HttpResponseMessage> SendAsync(SpotOptimizerApp app, HttpMethod method, string url, object? body, string? token)
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null) request.Content = JsonContent.Create(body);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await app.CreateClient().SendAsync(request);
    }

    /// <summary>One app for the tests that need no settings of their own, and the signing key it generated.</summary>
    public sealed class Shared : IAsyncLifetime
    {
        public SpotOptimizerApp App { get; } = SpotOptimizerApp.Sqlite();

        public byte[] Key { get; private set; } = [];

        public Task InitializeAsync()
        {
            using var started = App.CreateClient();
            Key = TestJwt.KeyFromDataDirectory(App.DataDirectory);
            return Task.CompletedTask;
        }

        public Task DisposeAsync() => App.DisposeAsync().AsTask();
    }
}

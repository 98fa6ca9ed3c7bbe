using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using SpotOptimizer.Api.Auth;
using SpotOptimizer.Api.Tests.Auth;
using SpotOptimizer.Api.Tests.Sweeps;
using SpotOptimizer.Testing;
using static SpotOptimizer.Api.Tests.Identity.IdentityJourney;

namespace SpotOptimizer.Api.Tests.Identity;

/// <summary>
/// Every endpoint the app maps, whatever area added it: a read-only user is refused every mutating one outside
/// <see cref="RoleGate.ReadOnlyAllowed"/>, and a member every owner-only one, with 403 <c>forbidden_role</c>.
/// </summary>
public sealed class RoleSweepTests(RoleSweepTests.Team team) : IClassFixture<RoleSweepTests.Team>
{
    [Fact]
    public async Task ReadOnly_EveryMutatingEndpointOutsideTheAllowList_403ForbiddenRole()
    {
        var probed = new List<string>();
        foreach (var (method, pattern) in Endpoints().Where(e => !IsRead(e.Method) && !RoleGate.ReadOnlyAllowed.Contains($"{e.Method} {e.Pattern}")))
        {
            using var response = await SendAsync(team.App, new HttpMethod(method), Url(pattern), new { }, team.ReadOnly.Access);
            await ProblemAssert.IsAsync(response, HttpStatusCode.Forbidden, "forbidden_role");
            probed.Add($"{method} {pattern}");
        }

        Assert.True(probed.Count >= 25, $"Too few mutating endpoints found to trust the sweep: {string.Join(", ", probed)}");
        Assert.Contains("POST /api/team/invitations", probed);
        Assert.Contains("PATCH /api/policies/dry-run", probed);
    }

    [Fact]
    public async Task Member_EveryOwnerOnlyEndpoint_403ForbiddenRole()
    {
        var ownerOnly = team.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => RoleGate.Requires(e, (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["POST"])[0]) == "owner")
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["POST"]).Select(m => (Method: m, Pattern: Pattern(e))))
            .ToList();

        foreach (var (method, pattern) in ownerOnly)
        {
            using var response = await SendAsync(team.App, new HttpMethod(method), Url(pattern), new { email = NewEmail(), role = "member" }, team.Member.Access);
            await ProblemAssert.IsAsync(response, HttpStatusCode.Forbidden, "forbidden_role");
        }

        Assert.Equal(
            [
                "DELETE /api/connect/accounts/{id}", "DELETE /api/organization/", "DELETE /api/team/invitations/{id}", "DELETE /api/team/members/{id}",
                "GET /api/organization/export", "PATCH /api/team/members/{id}", "POST /api/team/invitations", "PUT /api/audit/retention",
            ],
            ownerOnly.Select(e => $"{e.Method} {e.Pattern}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AllowList_EveryEntry_IsAMappedEndpoint()
    {
        var mapped = Endpoints().Select(e => $"{e.Method} {e.Pattern}").ToHashSet(StringComparer.Ordinal);

        Assert.All(RoleGate.ReadOnlyAllowed, entry => Assert.Contains(entry, mapped));
    }

    [Fact]
    public async Task ReadOnly_Reads_Answered()
    {
        foreach (var url in new[] { "/api/client/clusters", "/api/templates", "/api/team/members", "/api/team/invitations", "/api/activity/live", "/api/auth/me" })
        {
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(team.App, url, team.ReadOnly.Access));
        }
    }

    [Fact]
    public async Task Impersonation_ActsAsTheOwnerWithoutASessionOrRefreshToken()
    {
        var admin = await SignInAsync(team.App, Team.AdminEmail, Team.AdminPassword);
        using var response = await PostAsync(team.App, "/api/admin/impersonate", new { client_id = team.Owner.OrganizationId }, admin.Access);
        var body = await TenantClient.ExpectAsync(response, HttpStatusCode.OK);
        var token = body.GetProperty("token").GetString()!;

        Assert.False(body.TryGetProperty("refresh_token", out _));
        var claims = TestJwt.Payload(token);
        Assert.Equal("owner", claims.GetProperty("org_role").GetString());
        Assert.False(claims.TryGetProperty("sid", out _));
        using var invite = await PostAsync(team.App, "/api/team/invitations", new { email = NewEmail("by-admin"), role = "read_only" }, token);
        Assert.Equal(HttpStatusCode.Created, invite.StatusCode);
    }

    private IEnumerable<(string Method, string Pattern)> Endpoints() =>
        team.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.SignalR.HubMetadata>() is null)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["POST"]).Select(m => (m, Pattern(e))));

    private static string Pattern(RouteEndpoint endpoint) => "/" + endpoint.RoutePattern.RawText?.TrimStart('/');

    private static bool IsRead(string method) => method is "GET" or "HEAD" or "OPTIONS";

    /// <summary>Route parameters become ids nothing has: a refusal must come before any lookup.</summary>
    private static string Url(string pattern) =>
        System.Text.RegularExpressions.Regex.Replace(pattern, @"\{[^}]+\}", _ => Guid.NewGuid().ToString("D"));

    /// <summary>One organization with an owner, a member and a read-only user, and a configured super admin.</summary>
    public sealed class Team : IAsyncLifetime
    {
        public const string AdminEmail = "root@spotoptimizer.example";
        public const string AdminPassword = "Pl4tform-Admin-Secret";

        private readonly SmtpSink _mail = new();

        public Team() => App = SpotOptimizerApp.With(new Dictionary<string, string?>(_mail.Settings)
        {
            ["Auth:SuperAdminEmail"] = AdminEmail,
            ["Auth:SuperAdminPassword"] = AdminPassword,
        });

        public SpotOptimizerApp App { get; }

        public SignedIn Owner { get; private set; } = null!;

        public SignedIn Member { get; private set; } = null!;

        public SignedIn ReadOnly { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Owner = await SignUpAsync(App);
            Member = await InviteAndAcceptAsync(App, _mail, Owner, "member");
            ReadOnly = await InviteAndAcceptAsync(App, _mail, Owner, "read_only");
        }

        public async Task DisposeAsync()
        {
            await App.DisposeAsync();
            _mail.Dispose();
        }
    }
}

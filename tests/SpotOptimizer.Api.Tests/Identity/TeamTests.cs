using System.Net;
using SpotOptimizer.Api.Tests.Auth;
using SpotOptimizer.Api.Tests.Sweeps;
using SpotOptimizer.Testing;
using static SpotOptimizer.Api.Tests.Identity.IdentityJourney;

namespace SpotOptimizer.Api.Tests.Identity;

/// <summary>
/// A team through HTTP and a real SMTP server: inviting with a role, accepting from the e-mail, changing roles and
/// removing people (their sessions end), and the organization always keeping an owner.
/// </summary>
public abstract class TeamTests(bool postgres) : IDisposable
{
    private readonly SmtpSink _mail = new();

    public void Dispose() => _mail.Dispose();

    [SkippableFact]
    public async Task Invite_AcceptedFromTheEmail_MemberSignsInWithThatRoleInThatOrganization()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres, _mail.Settings);
        var owner = await SignUpAsync(app);
        var email = NewEmail("teammate");
        using (var invited = await PostAsync(app, "/api/team/invitations", new { email, role = "member" }, owner.Access))
        {
            var invitation = await TenantClient.ExpectAsync(invited, HttpStatusCode.Created);
            Assert.Equal("member", invitation.GetProperty("role").GetString());
            Assert.False(invitation.TryGetProperty("token", out _), "the token exists only in the e-mail");
        }

        var pending = await TenantClient.ExpectAsync(await GetAsync(app, "/api/team/invitations", owner.Access), HttpStatusCode.OK);
        Assert.Equal(email, Assert.Single(pending.GetProperty("invitations").EnumerateArray()).GetProperty("email").GetString());
        var token = TokenFromLink((await _mail.WaitForAsync(email)).Body, "/accept-invitation");

        using (var accepted = await PostAsync(app, "/api/auth/invitations/accept", new { token, password = Password }))
        {
            var body = await TenantClient.ExpectAsync(accepted, HttpStatusCode.Created);
            Assert.Equal(owner.OrganizationId, body.GetProperty("organization_id").GetString());
            Assert.Equal("member", TestJwt.Payload(body.GetProperty("token").GetString()!).GetProperty("org_role").GetString());
        }

        using (var again = await PostAsync(app, "/api/auth/invitations/accept", new { token, password = Password }))
        {
            await ProblemAssert.IsAsync(again, HttpStatusCode.BadRequest, "invalid_invitation_token");
        }

        var member = await SignInAsync(app, email);
        Assert.Equal("member", member.OrgRole);
        Assert.Equal(owner.OrganizationId, member.OrganizationId);
        var me = await TenantClient.ExpectAsync(await GetAsync(app, "/api/auth/me", member.Access), HttpStatusCode.OK);
        Assert.Equal("member", me.GetProperty("org_role").GetString());
        var members = await TenantClient.ExpectAsync(await GetAsync(app, "/api/team/members", member.Access), HttpStatusCode.OK);
        Assert.Equal([owner.Email, email], members.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("email").GetString()));
        Assert.Empty((await TenantClient.ExpectAsync(await GetAsync(app, "/api/team/invitations", owner.Access), HttpStatusCode.OK)).GetProperty("invitations").EnumerateArray());
        var activity = await ActivityAsync(app, owner);
        Assert.Single(activity, e => e.Contains("\"team.member_invited\"", StringComparison.Ordinal));
        Assert.Single(activity, e => e.Contains("\"team.invitation_accepted\"", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task Invite_EmailWithAnAccountOrByAMember_RefusedAndNothingSent()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres, _mail.Settings);
        var owner = await SignUpAsync(app);
        var elsewhere = await SignUpAsync(app);
        var member = await InviteAndAcceptAsync(app, _mail, owner, "member");
        var sent = _mail.Received.Count;

        using var taken = await PostAsync(app, "/api/team/invitations", new { email = elsewhere.Email, role = "member" }, owner.Access);
        using var byMember = await PostAsync(app, "/api/team/invitations", new { email = NewEmail(), role = "owner" }, member.Access);
        using var badRole = await PostAsync(app, "/api/team/invitations", new { email = NewEmail(), role = "admin" }, owner.Access);

        await ProblemAssert.IsAsync(taken, HttpStatusCode.Conflict, "email_taken");
        await ProblemAssert.IsAsync(byMember, HttpStatusCode.Forbidden, "forbidden_role");
        Assert.Equal(["role"], ProblemAssert.ErrorFields(await ProblemAssert.IsAsync(badRole, HttpStatusCode.BadRequest, "validation_failed")));
        Assert.Empty((await TenantClient.ExpectAsync(await GetAsync(app, "/api/team/invitations", owner.Access), HttpStatusCode.OK)).GetProperty("invitations").EnumerateArray());
        Assert.Equal(sent, _mail.Received.Count);
    }

    [SkippableFact]
    public async Task LastOwner_DemotedOrRemoved_409UntilAnotherOwnerExists()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres, _mail.Settings);
        var owner = await SignUpAsync(app);

        using (var demote = await SendAsync(app, HttpMethod.Patch, $"/api/team/members/{owner.UserId}", new { role = "member" }, owner.Access))
        {
            await ProblemAssert.IsAsync(demote, HttpStatusCode.Conflict, "last_owner");
        }

        using (var remove = await SendAsync(app, HttpMethod.Delete, $"/api/team/members/{owner.UserId}", null, owner.Access))
        {
            await ProblemAssert.IsAsync(remove, HttpStatusCode.Conflict, "last_owner");
        }

        Assert.Equal("owner", (await SignInAsync(app, owner.Email)).OrgRole);
        var second = await InviteAndAcceptAsync(app, _mail, owner, "owner");

        using var stepDown = await SendAsync(app, HttpMethod.Patch, $"/api/team/members/{owner.UserId}", new { role = "member" }, second.Access);

        Assert.Equal("member", (await TenantClient.ExpectAsync(stepDown, HttpStatusCode.OK)).GetProperty("role").GetString());
        Assert.Equal("member", (await SignInAsync(app, owner.Email)).OrgRole);
    }

    [SkippableFact]
    public async Task ChangeRole_MemberToReadOnly_TheirSessionsEndAndTheNewRoleOnlyReads()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres, _mail.Settings);
        var owner = await SignUpAsync(app);
        var member = await InviteAndAcceptAsync(app, _mail, owner, "member");

        using (var changed = await SendAsync(app, HttpMethod.Patch, $"/api/team/members/{member.UserId}", new { role = "read_only" }, owner.Access))
        {
            Assert.Equal("read_only", (await TenantClient.ExpectAsync(changed, HttpStatusCode.OK)).GetProperty("role").GetString());
        }

        await ProblemAssert.IsAsync(await GetAsync(app, "/api/auth/me", member.Access), HttpStatusCode.Unauthorized, "unauthorized");
        var reader = await SignInAsync(app, member.Email);
        Assert.Equal("read_only", reader.OrgRole);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(app, "/api/templates", reader.Access));
        using (var write = await PostAsync(app, "/api/connect/link", null, reader.Access))
        {
            await ProblemAssert.IsAsync(write, HttpStatusCode.Forbidden, "forbidden_role");
        }

        // Their own session stays theirs to manage.
        var renewed = await RefreshAsync(app, reader);
        using (var password = await PostAsync(app, "/api/auth/password", new { current_password = Password, new_password = NewPassword }, renewed.Access))
        {
            Assert.Equal(HttpStatusCode.OK, password.StatusCode);
        }

        using (var logout = await PostAsync(app, "/api/auth/logout", null, renewed.Access)) Assert.Equal(HttpStatusCode.OK, logout.StatusCode);
        Assert.Single(await ActivityAsync(app, owner), e => e.Contains("\"team.member_role_changed\"", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task Remove_Member_TheirTokensStopAndTheyCannotSignIn()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres, _mail.Settings);
        var owner = await SignUpAsync(app);
        var member = await InviteAndAcceptAsync(app, _mail, owner, "member");

        using (var removed = await SendAsync(app, HttpMethod.Delete, $"/api/team/members/{member.UserId}", null, owner.Access))
        {
            Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        }

        await ProblemAssert.IsAsync(await GetAsync(app, "/api/auth/me", member.Access), HttpStatusCode.Unauthorized, "unauthorized");
        using (var refresh = await PostAsync(app, "/api/auth/refresh", new { refresh_token = member.Refresh }))
        {
            await ProblemAssert.IsAsync(refresh, HttpStatusCode.Unauthorized, "invalid_refresh_token");
        }

        await ProblemAssert.IsAsync(await PostAsync(app, "/api/auth/token", new { email = member.Email, password = Password }), HttpStatusCode.Unauthorized, "invalid_credentials");
        var members = await TenantClient.ExpectAsync(await GetAsync(app, "/api/team/members", owner.Access), HttpStatusCode.OK);
        Assert.Equal([owner.Email], members.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("email").GetString()));
        Assert.Single(await ActivityAsync(app, owner), e => e.Contains("\"team.member_removed\"", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task CancelInvitation_ThenTheEmailedLink_Refused()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres, _mail.Settings);
        var owner = await SignUpAsync(app);
        var email = NewEmail("invitee");
        string id;
        using (var invited = await PostAsync(app, "/api/team/invitations", new { email, role = "read_only" }, owner.Access))
        {
            id = (await TenantClient.ExpectAsync(invited, HttpStatusCode.Created)).GetProperty("invitation_id").GetString()!;
        }

        var token = TokenFromLink((await _mail.WaitForAsync(email)).Body, "/accept-invitation");

        using (var cancelled = await SendAsync(app, HttpMethod.Delete, $"/api/team/invitations/{id}", null, owner.Access))
        {
            Assert.Equal(HttpStatusCode.NoContent, cancelled.StatusCode);
        }

        using var accept = await PostAsync(app, "/api/auth/invitations/accept", new { token, password = Password });
        await ProblemAssert.IsAsync(accept, HttpStatusCode.BadRequest, "invalid_invitation_token");
        await ProblemAssert.IsAsync(await PostAsync(app, "/api/auth/token", new { email, password = Password }), HttpStatusCode.Unauthorized, "invalid_credentials");
        Assert.Single(await ActivityAsync(app, owner), e => e.Contains("\"team.invitation_cancelled\"", StringComparison.Ordinal));
    }
}

public sealed class SqliteTeamTests() : TeamTests(postgres: false);

public sealed class PostgresTeamTests() : TeamTests(postgres: true);

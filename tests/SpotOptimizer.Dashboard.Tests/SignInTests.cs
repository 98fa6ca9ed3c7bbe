using System.Net;
using System.Text.Json;
using SpotOptimizer.Dashboard.Pages;

namespace SpotOptimizer.Dashboard.Tests;

public sealed class SignInTests
{
    private const string Token = """{"jwt_token":"jwt-abc","role":"client","org_role":"owner"}""";
    private const string Me = """{"email":"ops@acme.test","role":"client","org_role":"owner","organization_name":"Acme","redirect_path":"/dashboard"}""";

    private static void Fill(IRenderedComponent<SignIn> page, string email, string password)
    {
        page.Find("input[type='email']").Change(email);
        page.Find("input[type='password']").Change(password);
    }

    [Fact]
    public async Task Submit_Empty_ShowsRequiredFieldsAndCallsNothing()
    {
        var platform = new FakePlatform();
        await using var ctx = DashboardTest.NewContext(platform);
        var page = ctx.RenderPage<SignIn>();

        page.Find("form").Submit();

        Assert.Contains("The Email field is required.", page.Markup);
        Assert.Contains("The Password field is required.", page.Markup);
        Assert.Empty(platform.Requests);
        Assert.Equal("/", ctx.CurrentPath());
    }

    [Fact]
    public async Task Submit_MalformedEmail_ShowsItAndCallsNothing()
    {
        var platform = new FakePlatform();
        await using var ctx = DashboardTest.NewContext(platform);
        var page = ctx.RenderPage<SignIn>();

        Fill(page, "ops-at-acme", "correct horse battery");
        page.Find("form").Submit();

        Assert.Contains("The Email field is not a valid e-mail address.", page.Markup);
        Assert.DoesNotContain("The Password field is required.", page.Markup);
        Assert.Empty(platform.Requests);
    }

    [Fact]
    public async Task Submit_Valid_PostsTheCredentialsKeepsTheTokenAndGoesWhereTheApiSays()
    {
        var platform = new FakePlatform()
            .Ok("POST", "/api/auth/token", Token)
            .Ok("GET", "/api/auth/me", Me);
        await using var ctx = DashboardTest.NewContext(platform);
        var page = ctx.RenderPage<SignIn>();

        Fill(page, "ops@acme.test", "correct horse battery");
        page.Find("form").Submit();

        page.WaitForAssertion(() => Assert.Equal("/dashboard", ctx.CurrentPath()));
        var (post, me) = (platform.Requests[0], platform.Requests[1]);
        Assert.Equal(("POST", "/api/auth/token"), (post.Method, post.Path));
        using var body = JsonDocument.Parse(post.Body!);
        Assert.Equal("ops@acme.test", body.RootElement.GetProperty("email").GetString());
        Assert.Equal("correct horse battery", body.RootElement.GetProperty("password").GetString());
        Assert.Null(post.Authorization);
        Assert.Equal(("GET", "/api/auth/me", "Bearer jwt-abc"), (me.Method, me.Path, me.Authorization));
        var stored = Assert.Single(ctx.JSInterop.Invocations, i => i.Identifier == "sessionStorage.setItem");
        Assert.Equal(["spotoptimizer.access_token", "jwt-abc"], stored.Arguments);
    }

    [Fact]
    public async Task Submit_WhileThePlatformAnswers_DisablesTheButton()
    {
        var platform = new FakePlatform();
        var answer = platform.Hold("POST", "/api/auth/token");
        platform.Ok("GET", "/api/auth/me", Me);
        await using var ctx = DashboardTest.NewContext(platform);
        var page = ctx.RenderPage<SignIn>();

        Fill(page, "ops@acme.test", "correct horse battery");
        page.Find("form").Submit();

        var button = page.Find("button[type='submit']");
        Assert.True(button.HasAttribute("disabled"));
        Assert.Contains("Signing in…", button.TextContent);

        answer.Release(HttpStatusCode.OK, Token);

        page.WaitForAssertion(() => Assert.Equal("/dashboard", ctx.CurrentPath()));
        // The button is enabled again in the render after the navigation: wait for it rather than race it.
        page.WaitForAssertion(() => Assert.False(page.Find("button[type='submit']").HasAttribute("disabled")));
    }

    [Fact]
    public async Task Submit_WrongPassword_ShowsTheApiProblemAndStaysSignedOut()
    {
        var platform = new FakePlatform()
            .Problem("POST", "/api/auth/token", HttpStatusCode.Unauthorized, "invalid_credentials", "Unauthorized.", "Wrong email or password.");
        await using var ctx = DashboardTest.NewContext(platform);
        var page = ctx.RenderPage<SignIn>();

        Fill(page, "ops@acme.test", "not the password");
        page.Find("form").Submit();

        page.WaitForAssertion(() => Assert.Contains("Wrong email or password.", page.Find("[role='alert']").TextContent));
        Assert.Contains("(invalid_credentials)", page.Find("[role='alert']").TextContent);
        Assert.Single(platform.Requests);
        Assert.Equal("/", ctx.CurrentPath());
        Assert.DoesNotContain(ctx.JSInterop.Invocations, i => i.Identifier == "sessionStorage.setItem");
        Assert.False(page.Find("button[type='submit']").HasAttribute("disabled"));
    }
}

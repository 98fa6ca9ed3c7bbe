using System.Net;
using System.Text.Json;
using SpotOptimizer.Dashboard.Pages;

namespace SpotOptimizer.Dashboard.Tests;

public sealed class SignUpTests
{
    private static void Fill(IRenderedComponent<SignUp> page, string org, string email, string password)
    {
        page.Find("input:not([type='email']):not([type='password'])").Change(org);
        page.Find("input[type='email']").Change(email);
        page.Find("input[type='password']").Change(password);
    }

    [Fact]
    public async Task Submit_Empty_ShowsEveryRequiredFieldAndCallsNothing()
    {
        var platform = new FakePlatform();
        await using var ctx = DashboardTest.NewContext(platform);
        var page = ctx.RenderPage<SignUp>();

        page.Find("form").Submit();

        Assert.Contains("The OrgName field is required.", page.Markup);
        Assert.Contains("The Email field is required.", page.Markup);
        Assert.Contains("The Password field is required.", page.Markup);
        Assert.Empty(platform.Requests);
    }

    [Fact]
    public async Task Submit_ShortPassword_ShowsTheRuleAndCallsNothing()
    {
        var platform = new FakePlatform();
        await using var ctx = DashboardTest.NewContext(platform);
        var page = ctx.RenderPage<SignUp>();

        Fill(page, "Acme", "ops@acme.test", "123456789");
        page.Find("form").Submit();

        Assert.Contains("The password must be at least 10 characters.", page.Markup);
        Assert.DoesNotContain("field is required", page.Markup);
        Assert.Empty(platform.Requests);
    }

    [Fact]
    public async Task Submit_Valid_CreatesTheOrganizationAndSignsIn()
    {
        var platform = new FakePlatform()
            .Ok("POST", "/api/auth/signup", """{"user_id":"u1","organization_id":"o1","token":"jwt-new","expires_at":"2026-12-04T03:00:00Z","refresh_token":"r1","refresh_expires_at":"2026-12-18T03:00:00Z"}""")
            .Ok("GET", "/api/auth/me", """{"email":"ops@acme.test","role":"client","org_role":"owner","organization_name":"Acme","redirect_path":"/onboarding"}""");
        await using var ctx = DashboardTest.NewContext(platform);
        var page = ctx.RenderPage<SignUp>();

        Fill(page, "Acme", "ops@acme.test", "1234567890");
        page.Find("form").Submit();

        page.WaitForAssertion(() => Assert.Equal("/onboarding", ctx.CurrentPath()));
        var signup = platform.Requests[0];
        Assert.Equal(("POST", "/api/auth/signup"), (signup.Method, signup.Path));
        using var body = JsonDocument.Parse(signup.Body!);
        Assert.Equal("Acme", body.RootElement.GetProperty("org_name").GetString());
        Assert.Equal("ops@acme.test", body.RootElement.GetProperty("email").GetString());
        Assert.Equal("1234567890", body.RootElement.GetProperty("password").GetString());
        Assert.Equal("Bearer jwt-new", platform.Requests[1].Authorization);
    }

    [Fact]
    public async Task Submit_ApiValidationProblem_ShowsItsFieldErrors()
    {
        // The API's validation ProblemDetails carries the field errors in its detail (and the same in "errors").
        var platform = new FakePlatform().Answer("POST", "/api/auth/signup", HttpStatusCode.BadRequest, """
            {"title":"The request has invalid fields.","status":400,"code":"validation_failed",
             "detail":"email: An account with this email already exists.","errors":{"email":["An account with this email already exists."]}}
            """);
        await using var ctx = DashboardTest.NewContext(platform);
        var page = ctx.RenderPage<SignUp>();

        Fill(page, "Acme", "ops@acme.test", "1234567890");
        page.Find("form").Submit();

        page.WaitForAssertion(() => Assert.Contains("email: An account with this email already exists.", page.Find("[role='alert']").TextContent));
        Assert.Contains("(validation_failed)", page.Find("[role='alert']").TextContent);
        Assert.Equal("/", ctx.CurrentPath());
    }

    [Fact]
    public async Task Submit_ProblemWithoutDetail_ShowsItsTitle()
    {
        var platform = new FakePlatform()
            .Problem("POST", "/api/auth/signup", HttpStatusCode.Conflict, "organization_exists", "An organization with this name exists.", null);
        await using var ctx = DashboardTest.NewContext(platform);
        var page = ctx.RenderPage<SignUp>();

        Fill(page, "Acme", "ops@acme.test", "1234567890");
        page.Find("form").Submit();

        page.WaitForAssertion(() => Assert.Contains("An organization with this name exists.", page.Find("[role='alert']").TextContent));
        Assert.Contains("(organization_exists)", page.Find("[role='alert']").TextContent);
    }
}

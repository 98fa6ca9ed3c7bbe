using System.Net;
using SpotOptimizer.Dashboard.Pages;

namespace SpotOptimizer.Dashboard.Tests;

public sealed class AuditTests
{
    private const string FirstPage = "/api/audit?limit=50";

    private static string Entry(long seq, string action) =>
        $$"""{"id":{{seq + 100}},"seq":{{seq}},"actor":"ops@acme.test","impersonator":null,"action":"{{action}}","resource":"cluster:c1","occurred_at":"2025-03-01T10:00:00Z","hash":"0123456789abcdef"}""";

    [Fact]
    public async Task Open_ShowsLoadingWhilePending_ThenTheApiProblem()
    {
        var platform = new FakePlatform();
        var answer = platform.Hold("GET", FirstPage);
        await using var ctx = DashboardTest.NewContext(platform);

        var page = ctx.RenderPage<Audit>();

        Assert.Single(page.FindAll("[aria-label='Loading the audit log']"));
        Assert.Empty(page.FindAll("[role='alert']"));

        answer.Release(HttpStatusCode.UnprocessableEntity,
            """{"title":"The request could not be carried out.","status":422,"code":"audit_unavailable","detail":"The audit ledger is being re-verified; try again in a minute."}""");

        page.WaitForAssertion(() => Assert.Contains("The audit ledger is being re-verified; try again in a minute.", page.Find("[role='alert']").TextContent));
        Assert.Contains("(audit_unavailable)", page.Find("[role='alert']").TextContent);
        Assert.Empty(page.FindAll("[aria-label='Loading the audit log']"));
    }

    [Fact]
    public async Task Open_ListsTheEntriesAndPagesOn()
    {
        var platform = new FakePlatform()
            .Ok("GET", FirstPage, $$"""{"entries":[{{Entry(9, "policy.updated")}},{{Entry(8, "cluster.connected")}}],"next_cursor":"c8"}""")
            .Ok("GET", FirstPage + "&cursor=c8", $$"""{"entries":[{{Entry(7, "account.linked")}}],"next_cursor":null}""");
        await using var ctx = DashboardTest.NewContext(platform);

        var page = ctx.RenderPage<Audit>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid='entries'] tbody tr").Count));
        page.FindAll("button").Single(b => b.TextContent.Contains("Older entries", StringComparison.Ordinal)).Click();

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid='entries'] tbody tr").Count));
        var actions = page.FindAll("[data-testid='entries'] tbody tr").Select(r => r.Children[3].TextContent.Trim());
        Assert.Equal(["policy.updated", "cluster.connected", "account.linked"], actions);
        Assert.DoesNotContain(page.FindAll("button"), b => b.TextContent.Contains("Older entries", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Search_SendsTheFilterAndShowsWhenNothingMatches()
    {
        var platform = new FakePlatform()
            .Ok("GET", FirstPage, $$"""{"entries":[{{Entry(9, "policy.updated")}}],"next_cursor":null}""")
            .Ok("GET", FirstPage + "&action=hibernation.updated&resource=cluster%3Ac%201", """{"entries":[],"next_cursor":null}""");
        await using var ctx = DashboardTest.NewContext(platform);
        var page = ctx.RenderPage<Audit>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid='entries'] tbody tr")));

        var inputs = page.FindAll("form input");
        inputs[0].Change(" hibernation.updated ");
        inputs[2].Change("cluster:c 1");
        page.Find("form").Submit();

        page.WaitForAssertion(() => Assert.Contains("No entry matches.", page.Markup));
        Assert.Equal(FirstPage + "&action=hibernation.updated&resource=cluster%3Ac%201", platform.Requests[^1].Path);
        Assert.Empty(page.FindAll("[role='alert']"));
    }

    [Fact]
    public async Task Open_SignedOut_GoesToSignIn()
    {
        var platform = new FakePlatform()
            .Problem("GET", FirstPage, HttpStatusCode.Unauthorized, "token_expired", "Unauthorized.", "The session has expired.");
        await using var ctx = DashboardTest.NewContext(platform);

        var page = ctx.RenderPage<Audit>();

        page.WaitForAssertion(() => Assert.Equal("/login", ctx.CurrentPath()));
    }
}

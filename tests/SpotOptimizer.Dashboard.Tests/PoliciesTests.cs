using System.Net;
using System.Text.Json;
using SpotOptimizer.Dashboard.Pages;

namespace SpotOptimizer.Dashboard.Tests;

public sealed class PoliciesTests
{
    private const string Clusters = """
        {"clusters":[
          {"cluster_id":"c1","name":"prod-eu","region":"eu-west-1","managed":true,"node_count":12,"spot_node_count":8,"agent_status":"connected"},
          {"cluster_id":"c2","name":"staging","region":"us-east-1","managed":true,"node_count":3,"spot_node_count":3,"agent_status":"connected"}]}
        """;

    private static string Policy(string cluster, int version, bool dryRun) => $$$"""
        {"cluster_id":"{{{cluster}}}","policy_version":{{{version}}},"policy":{"karpenter_enabled":true,"karpenter_strategy":"balanced",
         "binpack_aggressiveness":50,"on_demand_fallback":true,"excluded_namespaces":["monitoring"],"dry_run":{{{(dryRun ? "true" : "false")}}}}}
        """;

    [Fact]
    public async Task Open_ShowsLoadingWhilePending_ThenTheApiProblem()
    {
        var platform = new FakePlatform();
        var answer = platform.Hold("GET", "/api/client/clusters");
        await using var ctx = DashboardTest.NewContext(platform);

        var page = ctx.RenderPage<Policies>();

        Assert.Single(page.FindAll("[aria-label='Loading clusters']"));
        Assert.Empty(page.FindAll("[role='alert']"));

        answer.Release(HttpStatusCode.UnprocessableEntity,
            """{"title":"The request could not be carried out.","status":422,"code":"organization_suspended","detail":"The organization is suspended."}""");

        page.WaitForAssertion(() => Assert.Contains("The organization is suspended.", page.Find("[role='alert']").TextContent));
        Assert.Contains("(organization_suspended)", page.Find("[role='alert']").TextContent);
    }

    [Fact]
    public async Task Open_PolicyOfTheClusterFails_ShowsTheProblem()
    {
        var platform = new FakePlatform()
            .Ok("GET", "/api/client/clusters", Clusters)
            .Problem("GET", "/api/policies/c2", HttpStatusCode.UnprocessableEntity, "cluster_not_managed", "The request could not be carried out.", "The cluster staging is not managed yet.");
        await using var ctx = DashboardTest.NewContext(platform);

        var page = ctx.RenderPage<Policies>(p => p.Add(x => x.ClusterId, "c2"));

        page.WaitForAssertion(() => Assert.Contains("The cluster staging is not managed yet.", page.Find("[role='alert']").TextContent));
        Assert.Empty(page.FindAll("[data-testid='policy']"));
        Assert.Empty(page.FindAll("[aria-label='Loading clusters']"));
    }

    [Fact]
    public async Task SelectCluster_PolicyFails_ShowsTheProblemInsteadOfTheOtherClustersPolicy()
    {
        var platform = new FakePlatform()
            .Ok("GET", "/api/client/clusters", Clusters)
            .Ok("GET", "/api/policies/c1", Policy("c1", 4, dryRun: false))
            .Problem("GET", "/api/policies/c2", HttpStatusCode.UnprocessableEntity, "cluster_not_managed", "The request could not be carried out.", "The cluster staging is not managed yet.");
        await using var ctx = DashboardTest.NewContext(platform);
        var popovers = ctx.Render<MudPopoverProvider>();
        var page = ctx.Render<Policies>();
        page.WaitForAssertion(() => Assert.Contains("Policy version 4", page.Find("[data-testid='policy']").TextContent));

        // Open the cluster select and pick the other cluster, as a user does.
        page.Find("div.mud-select > .mud-input-control").MouseDown();
        var staging = popovers.WaitForElement(".mud-popover-open .mud-list-item:contains('staging')");
        staging.Click();

        page.WaitForAssertion(() => Assert.Contains("The cluster staging is not managed yet.", page.Find("[role='alert']").TextContent));
        Assert.Equal("/policies/c2", ctx.CurrentPath());
        Assert.Empty(page.FindAll("[data-testid='policy']"));
    }

    [Fact]
    public async Task DryRunSwitch_PatchesTheSelectedClusterAndShowsThePolicyAsSaved()
    {
        var platform = new FakePlatform()
            .Ok("GET", "/api/client/clusters", Clusters)
            .Ok("GET", "/api/policies/c1", Policy("c1", 4, dryRun: false))
            .Ok("PATCH", "/api/policies/dry-run", Policy("c1", 5, dryRun: true));
        await using var ctx = DashboardTest.NewContext(platform);
        var page = ctx.RenderPage<Policies>();
        page.WaitForAssertion(() => Assert.Contains("Policy version 4", page.Find("[data-testid='policy']").TextContent));

        page.FindAll("[data-testid='policy'] input[type='checkbox']")[0].Change(true);

        page.WaitForAssertion(() => Assert.Contains("Policy version 5", page.Find("[data-testid='policy']").TextContent));
        var patch = platform.Requests[^1];
        Assert.Equal(("PATCH", "/api/policies/dry-run"), (patch.Method, patch.Path));
        using var body = JsonDocument.Parse(patch.Body!);
        Assert.Equal("c1", body.RootElement.GetProperty("cluster_id").GetString());
        Assert.True(body.RootElement.GetProperty("enabled").GetBoolean());
        Assert.Empty(page.FindAll("[role='alert']"));
    }
}

using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Components;
using SpotOptimizer.Dashboard.Pages;

namespace SpotOptimizer.Dashboard.Tests;

/// <summary>The Lab's A/B test and live switch forms: checked before anything is sent, then the API's answer (the new experiment's page, or its ProblemDetails).</summary>
public sealed class ExperimentFormsTests
{
    private const string NodeA = "i-0a1b2c3d4e5f60718";
    private const string NodeB = "i-0f1e2d3c4b5a69788";
    private const string Started = """{"test_id":"6f1c2a9e-1111-4c1d-9a8b-0123456789ab","experiment":{"id":"6f1c2a9e-1111-4c1d-9a8b-0123456789ab","kind":"parallel","status":"running","cluster_id":"c1","created_by":"admin","created_at":"2026-05-01T10:00:00Z","dry_run":false,"arms":[],"series":[],"steps":[]}}""";

    private static readonly IReadOnlyList<ClusterSummary> Clusters = [new("c1", "prod-eu", "eu-west-1", true, 12, 8, "green")];
    private static readonly IReadOnlyList<ModelChoice> Models = [new(ModelChoice.BuiltIn, "Built-in model"), new("m-7", "pool-logistic v1")];

    private static IRenderedComponent<AbTestForm> RenderAbTest(BunitContext ctx) =>
        ctx.Render<AbTestForm>(p => p.Add(x => x.Clusters, Clusters).Add(x => x.Models, Models));

    private static IReadOnlyList<AngleSharp.Dom.IElement> NodeFields<T>(IRenderedComponent<T> form) where T : IComponent =>
        form.FindAll("input[placeholder='i-0123456789abcdef0']");

    /// <summary>The input a label names, as a screen reader finds it.</summary>
    private static AngleSharp.Dom.IElement Field<T>(IRenderedComponent<T> form, string label) where T : IComponent =>
        form.Find($"#{form.Find($"label:contains('{label}')").GetAttribute("for")}");

    /// <summary>Opens the <paramref name="index"/>th select of the form and picks the option, as a user does.</summary>
    private static void Pick<T>(IRenderedComponent<MudPopoverProvider> popovers, IRenderedComponent<T> form, int index, string option) where T : IComponent
    {
        form.FindAll("div.mud-select > .mud-input-control")[index].MouseDown();
        popovers.WaitForElement($".mud-popover-open .mud-list-item:contains('{option}')").Click();
    }

    [Fact]
    public async Task AbTest_SameNodeTwiceAndNoModelB_ShowsWhyAndSendsNothing()
    {
        var platform = new FakePlatform();
        await using var ctx = DashboardTest.NewContext(platform);
        ctx.Render<MudPopoverProvider>();
        var form = RenderAbTest(ctx);

        NodeFields(form)[0].Change(NodeA);
        NodeFields(form)[1].Change(NodeA);
        form.Find("form").Submit();

        Assert.Contains("Each arm needs its own node: choose two different ones.", form.Markup);
        Assert.Contains("Choose arm B's model.", form.Markup);
        Assert.DoesNotContain("Choose arm A's model.", form.Markup);
        Assert.Empty(platform.Requests);
    }

    [Fact]
    public async Task AbTest_NotAnInstanceIdAndDurationZero_ShowsTheRulesAndSendsNothing()
    {
        var platform = new FakePlatform();
        await using var ctx = DashboardTest.NewContext(platform);
        ctx.Render<MudPopoverProvider>();
        var form = RenderAbTest(ctx);

        NodeFields(form)[0].Change("node-1");
        NodeFields(form)[1].Change(NodeB);
        Field(form, "Duration (minutes)").Change("0");
        form.Find("form").Submit();

        Assert.Contains("An EC2 instance id looks like i-0123456789abcdef0.", form.Markup);
        Assert.Contains("A test runs from 1 minute to 14 days", form.Markup);
        Assert.Empty(platform.Requests);
    }

    [Fact]
    public async Task AbTest_Valid_PostsBothArmsAndOpensTheExperiment()
    {
        var platform = new FakePlatform().Answer("POST", "/api/lab/parallel", HttpStatusCode.Accepted, Started);
        await using var ctx = DashboardTest.NewContext(platform);
        var popovers = ctx.Render<MudPopoverProvider>();
        var form = RenderAbTest(ctx);

        NodeFields(form)[0].Change(NodeA);
        NodeFields(form)[1].Change(NodeB);
        Pick(popovers, form, 2, "pool-logistic v1");
        Field(form, "Duration (minutes)").Change("30");
        form.Find("form").Submit();

        form.WaitForAssertion(() => Assert.Equal("/admin/lab/experiments/6f1c2a9e-1111-4c1d-9a8b-0123456789ab", ctx.CurrentPath()));
        var post = Assert.Single(platform.Requests);
        using var body = JsonDocument.Parse(post.Body!);
        var sent = body.RootElement;
        Assert.Equal(("c1", NodeA, "builtin", NodeB, "m-7", 30),
            (sent.GetProperty("cluster_id").GetString(), sent.GetProperty("instance_a").GetString(), sent.GetProperty("model_a").GetString(),
             sent.GetProperty("instance_b").GetString(), sent.GetProperty("model_b").GetString(), sent.GetProperty("duration_minutes").GetInt32()));
    }

    [Fact]
    public async Task AbTest_NodeHeldByAnotherTest_ShowsTheConflict()
    {
        var platform = new FakePlatform().Problem("POST", "/api/lab/parallel", HttpStatusCode.Conflict, "instance_in_experiment", "Conflict.",
            $"{NodeA} is held by another running experiment; stop it first.");
        await using var ctx = DashboardTest.NewContext(platform);
        var popovers = ctx.Render<MudPopoverProvider>();
        var form = RenderAbTest(ctx);

        NodeFields(form)[0].Change(NodeA);
        NodeFields(form)[1].Change(NodeB);
        Pick(popovers, form, 2, "Built-in model");
        form.Find("form").Submit();

        form.WaitForAssertion(() => Assert.Contains($"{NodeA} is held by another running experiment", form.Find("[role='alert']").TextContent));
        Assert.Contains("(instance_in_experiment)", form.Find("[role='alert']").TextContent);
        Assert.Equal("/", ctx.CurrentPath());
    }

    [Fact]
    public async Task LiveSwitch_NoNode_ShowsWhatIsMissingAndSendsNothing()
    {
        var platform = new FakePlatform();
        await using var ctx = DashboardTest.NewContext(platform);
        var form = ctx.RenderPage<LiveSwitchForm>(p => p.Add(x => x.Clusters, Clusters).Add(x => x.Models, Models));

        form.Find("form").Submit();

        Assert.Contains("Give the node to switch.", form.Markup);
        Assert.Empty(platform.Requests);
    }

    [Fact]
    public async Task LiveSwitch_Valid_PostsTheNodeAndOpensTheExperiment()
    {
        var platform = new FakePlatform().Answer("POST", "/api/lab/live-switch", HttpStatusCode.Accepted, Started);
        await using var ctx = DashboardTest.NewContext(platform);
        var form = ctx.RenderPage<LiveSwitchForm>(p => p.Add(x => x.Clusters, Clusters).Add(x => x.Models, Models));

        NodeFields(form)[0].Change(NodeA);
        form.Find("form").Submit();

        form.WaitForAssertion(() => Assert.Equal("/admin/lab/experiments/6f1c2a9e-1111-4c1d-9a8b-0123456789ab", ctx.CurrentPath()));
        using var body = JsonDocument.Parse(Assert.Single(platform.Requests).Body!);
        Assert.Equal(("c1", NodeA, "builtin"),
            (body.RootElement.GetProperty("cluster_id").GetString(), body.RootElement.GetProperty("instance_id").GetString(), body.RootElement.GetProperty("model").GetString()));
    }
}

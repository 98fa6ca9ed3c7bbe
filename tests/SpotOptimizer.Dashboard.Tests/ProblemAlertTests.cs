using SpotOptimizer.Dashboard.Layout;

namespace SpotOptimizer.Dashboard.Tests;

public sealed class ProblemAlertTests
{
    [Fact]
    public async Task NoProblem_RendersNothing()
    {
        await using var ctx = DashboardTest.NewContext();

        var alert = ctx.Render<ProblemAlert>(p => p.Add(a => a.Problem, null));

        Assert.Equal("", alert.Markup.Trim());
    }

    [Fact]
    public async Task Problem_ShowsItsDetailAndCodeAsAnAlert()
    {
        await using var ctx = DashboardTest.NewContext();

        var alert = ctx.Render<ProblemAlert>(p => p.Add(a => a.Problem,
            new ProblemException(422, "cluster_not_managed", "The cluster is not managed by SpotOptimizer yet.")));

        var shown = alert.Find("[role='alert']");
        Assert.Contains("mud-alert-text-error", shown.ClassName);
        Assert.Contains("The cluster is not managed by SpotOptimizer yet.", shown.TextContent);
        Assert.Contains("(cluster_not_managed)", shown.TextContent);
    }

    [Fact]
    public async Task ProblemCleared_RemovesTheAlert()
    {
        await using var ctx = DashboardTest.NewContext();
        var alert = ctx.Render<ProblemAlert>(p => p.Add(a => a.Problem, new ProblemException(409, "conflict", "Already running.")));
        Assert.Single(alert.FindAll("[role='alert']"));

        alert.Render(p => p.Add(a => a.Problem, null));

        Assert.Empty(alert.FindAll("[role='alert']"));
    }
}

using System.Globalization;
using System.Net;
using SpotOptimizer.Dashboard.Pages;

namespace SpotOptimizer.Dashboard.Tests;

/// <summary>
/// An experiment's page as the API describes it: the verdict with its p-values, each arm, the live switch's steps. These
/// experiments are finished, so the page reads them once and opens no hub (the live part is the browser tests').
/// </summary>
public sealed class LabExperimentTests
{
    private const string Id = "6f1c2a9e-1111-4c1d-9a8b-0123456789ab";
    private const string Clusters = """{"clusters":[{"cluster_id":"c1","name":"prod-eu","region":"eu-west-1","managed":true,"node_count":12,"spot_node_count":8,"agent_status":"green"}]}""";

    private static string Experiment(string kind, string status, string verdict, string arms, string series, string steps, string error = "null") => $$"""
        {"id":"{{Id}}","kind":"{{kind}}","status":"{{status}}","cluster_id":"c1","created_by":"admin@spotoptimizer.example","created_at":"2026-05-01T10:00:00Z",
         "ends_at":"2026-05-01T11:00:00Z","finished_at":"2026-05-01T11:00:00Z","dry_run":false,"arms":[{{arms}}],"verdict":{{verdict}},
         "series":[{{series}}],"steps":[{{steps}}],"error":{{error}}}
        """;

    private static string Arm(string arm, string model, string original, string current, string? pool, double savings, int interruptions, double? boot) => string.Create(CultureInfo.InvariantCulture, $$"""
        {"arm":"{{arm}}","model_id":"{{model}}","model_version":"1","original_instance_id":"{{original}}","original_type":"m5.large","current_instance_id":"{{current}}",
         "pool":{{(pool is null ? "null" : $"\"{pool}\"")}},"hourly_price":0.035,"on_demand_hourly_price":0.096,"savings_usd":{{savings}},"interruptions":{{interruptions}},
         "spot_hours":2.5,"moves":1,"mean_boot_seconds":{{(boot is null ? "null" : boot.Value.ToString(CultureInfo.InvariantCulture))}}}
        """);

    private static string Point(int seq, string arm, string kind, double savings, int interruptions, double? boot = null, string? detail = null) => string.Create(CultureInfo.InvariantCulture, $$"""
        {"seq":{{seq}},"at":"2026-05-01T10:{{seq:00}}:00Z","arm":"{{arm}}","event":"{{kind}}","pool":"eu-west-1a/m5.large","hourly_price":0.035,"savings_usd":{{savings}},
         "interruptions":{{interruptions}},"boot_seconds":{{(boot is null ? "null" : boot.Value.ToString(CultureInfo.InvariantCulture))}},"risk":0.1,"detail":{{(detail is null ? "null" : $"\"{detail}\"")}}}
        """);

    private static string Step(int seq, string step, string status, double ms, string detail, string? error = null) => string.Create(CultureInfo.InvariantCulture, $$"""
        {"seq":{{seq}},"step":"{{step}}","status":"{{status}}","at":"2026-05-01T10:00:{{seq:00}}Z","duration_ms":{{ms}},"detail":"{{detail}}","error_code":{{(error is null ? "null" : $"\"{error}\"")}}}
        """);

    private static IRenderedComponent<LabExperiment> Open(BunitContext ctx) => ctx.RenderPage<LabExperiment>(p => p.Add(x => x.Id, Id));

    [Fact]
    public async Task Open_CompletedAbTestWithAWinner_ShowsTheVerdictPValuesAndBothArms()
    {
        var platform = new FakePlatform()
            .Ok("GET", $"/api/lab/experiments/{Id}", Experiment("parallel", "completed",
                """{"winner":"B","reason":"fewer_interruptions","interruptions_p_value":0.0123,"savings_p_value":0.4,"alpha":0.05}""",
                Arm("A", "builtin", "i-0aaaaaaaaaaaaaaa1", "i-0aaaaaaaaaaaaaaa2", "eu-west-1a/m5.large", 0.42, 3, 12.5) + "," +
                Arm("B", "m-7", "i-0bbbbbbbbbbbbbbb1", "i-0bbbbbbbbbbbbbbb2", "eu-west-1b/m5a.large", 0.38, 0, 9),
                string.Join(",", Point(1, "A", "tick", 0.1, 0), Point(2, "B", "tick", 0.1, 0), Point(3, "A", "moved", 0.2, 0, 12.5, "i-0aaaaaaaaaaaaaaa1 → i-0aaaaaaaaaaaaaaa2"),
                    Point(4, "A", "interrupted", 0.42, 3, detail: "i-0aaaaaaaaaaaaaaa2 got the two-minute notice"), Point(5, "B", "tick", 0.38, 0)), ""))
            .Ok("GET", "/api/client/clusters", Clusters);
        await using var ctx = DashboardTest.NewContext(platform);

        var page = Open(ctx);

        page.WaitForAssertion(() => Assert.Contains("Arm B wins: fewer interruptions", page.Find("[data-testid='verdict']").TextContent));
        var verdict = page.Find("[data-testid='verdict']").TextContent;
        Assert.Contains("p (interruptions) = 0.012", verdict);
        Assert.Contains("p (savings) = 0.400", verdict);
        Assert.Contains("α = 0.05", verdict);
        var arms = page.FindAll("[data-testid='arms'] tbody tr");
        Assert.Equal(2, arms.Count);
        Assert.Contains("Spot eu-west-1a/m5.large", arms[0].TextContent);
        Assert.Contains("$0.4200", arms[0].TextContent);
        Assert.Contains("i-0bbbbbbbbbbbbbbb1", arms[1].TextContent);
        Assert.Contains("→ i-0bbbbbbbbbbbbbbb2", arms[1].TextContent);
        Assert.Equal("completed", page.Find("[data-testid='experiment-status']").TextContent.Trim());
        Assert.Equal("finished", page.Find("[data-testid='feed-state']").TextContent.Trim());
        Assert.Contains("Cluster prod-eu", page.Find("[data-testid='experiment-header']").TextContent);
        Assert.Equal(("3", "2"), (page.Find("[data-testid='points-A']").GetAttribute("data-count"), page.Find("[data-testid='points-B']").GetAttribute("data-count")));
        Assert.Contains("Arm A: $0.4200", page.Find("[data-testid='chart-savings-now']").TextContent);
        Assert.Contains("Arm A interrupted", page.Find("[data-testid='events']").TextContent);
        Assert.Empty(page.FindAll("button:contains('Stop the test')"));
    }

    [Fact]
    public async Task Open_StoppedAbTestTooShort_SaysWhyThereIsNoWinner()
    {
        var platform = new FakePlatform()
            .Ok("GET", $"/api/lab/experiments/{Id}", Experiment("parallel", "stopped",
                """{"winner":null,"reason":"collecting","interruptions_p_value":null,"savings_p_value":null,"alpha":0.05}""",
                Arm("A", "builtin", "i-0aaaaaaaaaaaaaaa1", "i-0aaaaaaaaaaaaaaa1", null, 0, 0, null) + "," + Arm("B", "builtin", "i-0bbbbbbbbbbbbbbb1", "i-0bbbbbbbbbbbbbbb1", null, 0, 0, null),
                "", ""))
            .Ok("GET", "/api/client/clusters", Clusters);
        await using var ctx = DashboardTest.NewContext(platform);

        var page = Open(ctx);

        page.WaitForAssertion(() => Assert.Contains("Too few samples for a verdict", page.Find("[data-testid='verdict']").TextContent));
        Assert.Contains("p (interruptions) = —", page.Find("[data-testid='verdict']").TextContent);
        Assert.Contains("On-Demand m5.large", page.Find("[data-testid='arms'] tbody tr").TextContent);
        Assert.Contains("No tick yet.", page.Find("[data-testid='chart-savings']").TextContent);
        Assert.Single(page.FindAll("[data-testid='no-events']"));
    }

    [Fact]
    public async Task Open_FailedLiveSwitch_ShowsEachStepWithItsDurationAndTheRollbackMarked()
    {
        var steps = string.Join(",",
            Step(1, "stop_instance", "started", 0, "stop i-0aaaaaaaaaaaaaaa1"), Step(2, "stop_instance", "ok", 850, "stopped"),
            Step(3, "launch_spot", "started", 0, "launch Spot m5a.large in eu-west-1a"), Step(4, "launch_spot", "ok", 1200, "launched i-0ccccccccccccccc1"),
            Step(5, "attach_volume", "started", 0, "attach vol-1 to i-0ccccccccccccccc1 as /dev/sdf"), Step(6, "attach_volume", "failed", 40, "attach refused", "unavailable"),
            Step(7, "terminate_spot", "started", 0, "terminate i-0ccccccccccccccc1"), Step(8, "terminate_spot", "rolled_back", 300, "terminated"),
            Step(9, "start_instance", "started", 0, "start i-0aaaaaaaaaaaaaaa1"), Step(10, "start_instance", "rolled_back", 2000, "started"));
        var platform = new FakePlatform()
            .Ok("GET", $"/api/lab/experiments/{Id}", Experiment("live_switch", "failed", "null",
                Arm("switch", "builtin", "i-0aaaaaaaaaaaaaaa1", "i-0aaaaaaaaaaaaaaa1", null, 0, 0, null), "", steps,
                "\"attach_volume failed (unavailable); every change was rolled back.\""))
            .Ok("GET", "/api/client/clusters", Clusters);
        await using var ctx = DashboardTest.NewContext(platform);

        var page = Open(ctx);

        page.WaitForAssertion(() => Assert.Equal(5, page.FindAll("[data-testid='step']").Count));
        var rows = page.FindAll("[data-testid='step']");
        Assert.Equal(["stop_instance", "launch_spot", "attach_volume", "terminate_spot", "start_instance"], rows.Select(r => r.GetAttribute("data-step")));
        Assert.Equal(["ok", "ok", "failed", "rolled_back", "rolled_back"], rows.Select(r => r.GetAttribute("data-status")));
        Assert.Contains("850 ms", rows[0].TextContent);
        Assert.Contains("stop i-0aaaaaaaaaaaaaaa1", rows[0].TextContent);
        Assert.Contains("attach refused (unavailable)", rows[2].TextContent);
        Assert.Contains("2.0 s", rows[4].TextContent);
        Assert.Equal([false, false, false, true, true], rows.Select(r => r.TextContent.Contains("rollback", StringComparison.Ordinal)));
        Assert.Contains("every change was rolled back", page.Find("[data-testid='experiment-error']").TextContent);
        Assert.Empty(page.FindAll("[data-testid='verdict']"));
        Assert.Empty(page.FindAll("button:contains('Stop the test')"));
    }

    [Fact]
    public async Task Open_UnknownExperiment_ShowsTheProblem()
    {
        var platform = new FakePlatform()
            .Problem("GET", $"/api/lab/experiments/{Id}", HttpStatusCode.NotFound, "not_found", "Not found.", "No experiment was found.")
            .Ok("GET", "/api/client/clusters", Clusters);
        await using var ctx = DashboardTest.NewContext(platform);

        var page = Open(ctx);

        page.WaitForAssertion(() => Assert.Contains("No experiment was found.", page.Find("[role='alert']").TextContent));
        Assert.Empty(page.FindAll("[aria-label='Loading the experiment']"));
    }
}

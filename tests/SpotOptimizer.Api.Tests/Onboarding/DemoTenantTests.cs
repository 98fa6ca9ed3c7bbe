using SpotOptimizer.Testing;

namespace SpotOptimizer.Api.Tests.Onboarding;

/// <summary>The embedded default's first start: a demo tenant with a discovered account and live clusters.</summary>
public sealed class DemoTenantTests
{
    [Fact]
    public async Task FirstStart_SimulatedCloud_DemoTenantHasGreenManagedClusters()
    {
        await using var app = SpotOptimizerApp.With(new Dictionary<string, string?>
        {
            ["Demo:Enabled"] = "true",
            ["Demo:Password"] = "Demo-Password-2026",
        });
        var demo = await TenantClient.SignInDemoAsync(app, "Demo-Password-2026");

        var clusters = await Eventually.Wait(
            async () => (await demo.GetJsonAsync("/api/client/clusters")).GetProperty("clusters").EnumerateArray().ToList(),
            list => list.Count >= 2 && list.All(c => c.GetProperty("agent_status").GetString() == "green"),
            what: "the demo clusters to be connected and green");

        Assert.All(clusters, c => Assert.True(c.GetProperty("node_count").GetInt32() > 0));
        Assert.Equal("/dashboard", (await demo.GetJsonAsync("/api/auth/me")).GetProperty("redirect_path").GetString());
    }
}

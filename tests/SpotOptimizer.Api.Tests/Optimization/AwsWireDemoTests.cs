using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SpotOptimizer.Cloud;
using SpotOptimizer.Cloud.Aws;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.Testing;
using static SpotOptimizer.Api.Tests.Optimization.OptimizationJourney;

namespace SpotOptimizer.Api.Tests.Optimization;

/// <summary>
/// The production code path in the demo: <c>--Cloud:Provider=aws --Cloud:Aws:ServiceUrl=http://127.0.0.1:&lt;port&gt;/simulator/aws
/// --Simulator:ServeAws=true</c>. The demo tenant's account is assumed, discovered and optimized through the AWS SDK
/// (STS, EC2 with CreateFleet, EKS, Auto Scaling, SQS) against the simulator on AWS's wire, and the market reads
/// Spot prices, the price list and the Spot Advisor as it would from AWS.
/// </summary>
public sealed class AwsWireDemoTests
{
    private const string Password = "Demo-Password-2026";

    [Fact]
    public async Task DemoTenant_OnTheAwsProviderAgainstTheSimulatorsWire_OptimizeJobSucceedsWithSpotLaunchesInTheLedger()
    {
        var port = SpotOptimizerApp.FreePort();
        await using var app = SpotOptimizerApp.OnPort(port, new Dictionary<string, string?>(FastCloud)
        {
            ["Cloud:Provider"] = "aws",
            ["Cloud:Aws:ServiceUrl"] = $"http://127.0.0.1:{port}/simulator/aws",
            ["Simulator:ServeAws"] = "true",
            ["Market:FirstLoadRetry"] = "00:00:01",
            ["Demo:Enabled"] = "true",
            ["Demo:Password"] = Password,
            ["Optimizer:FirstRun"] = "00:00:20",
        });
        var demo = await TenantClient.SignInDemoAsync(app, Password);

        Assert.IsType<AwsCloud>(app.Services.GetRequiredService<ICloudProvider>());
        var completed = await Eventually.Wait(
            async () => (await demo.GetJsonAsync("/api/activity/live?limit=500")).GetProperty("events").EnumerateArray()
                .Where(e => e.GetProperty("action").GetString() == "optimization.completed")
                .Select(e => JsonDocument.Parse(e.GetProperty("after").GetString()!).RootElement.GetProperty("job_id").GetString()!)
                .ToList(),
            jobs => jobs.Count > 0,
            TimeSpan.FromSeconds(120),
            "a demo cluster's optimize job to finish through the AWS provider");

        var job = await demo.GetJsonAsync($"/api/jobs/{completed[0]}");
        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        Assert.False(job.GetProperty("dry_run").GetBoolean());
        var replaced = Replacements(job).Where(r => r.GetProperty("outcome").GetString() == "replaced").ToList();
        Assert.NotEmpty(replaced);
        var instances = SimulatedCloudOf(app).World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion("us-east-1")!.Instances
            .ToDictionary(n => n.Instance.InstanceId);
        Assert.All(replaced, r => Assert.Equal(InstanceLifecycle.Spot, instances[r.GetProperty("new_instance_id").GetString()!].Instance.Lifecycle));
        // Each through CreateFleet from its replaced node's group's template: the custom one DescribeNodegroup names, or
        // (a group EKS made the template for) the one its Auto Scaling group names.
        var region = SimulatedCloudOf(app).World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion("us-east-1")!;
        var launches = SimulatedCloudOf(app).Calls.Where(c => c.Operation == CloudActions.RunInstances).Select(c => c.Arguments).ToList();
        var groups = replaced.Select(r => region.FindCluster(instances[r.GetProperty("instance_id").GetString()!].Instance.ClusterName!)!
            .FindNodegroup(r.GetProperty("nodegroup").GetString()!)!).ToList();
        Assert.All(groups, g => Assert.Contains(launches,
            l => l.Contains($"template={SimulatedNetwork.LaunchTemplateOf(SimulatedWorld.DemoAccountId, g).Id} ", StringComparison.Ordinal)));
        // The demo's first optimized cluster runs a group EKS made the template for: the Auto Scaling path, through the wire.
        Assert.True(groups.Any(g => g.LaunchTemplate is null), $"replaced nodes of {string.Join(", ", groups.Select(g => $"{g.ClusterName}/{g.Name}"))}, all on custom templates");
        var audit = (await demo.GetJsonAsync("/api/audit?limit=500")).GetRawText();
        Assert.Contains("executor.launch_spot", audit, StringComparison.Ordinal);
        // The demo's agents report: wait_ready waited for the new node to be listed Ready, not only for the instance to run.
        Assert.Contains("joined as node", audit, StringComparison.Ordinal);
        // Every call reached the simulated world through the wire, signed by a session its STS issued to the SDK.
        Assert.Contains(SimulatedCloudOf(app).Calls, c => c.Operation == CloudActions.AssumeRole);
    }
}

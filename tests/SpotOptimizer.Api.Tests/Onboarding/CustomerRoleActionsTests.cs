using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SpotOptimizer.Cloud;
using SpotOptimizer.Cloud.Aws;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.Grains.Interfaces.Lab;
using SpotOptimizer.Optimization.Lab;
using SpotOptimizer.Testing;
using static SpotOptimizer.Api.Tests.Optimization.OptimizationJourney;

namespace SpotOptimizer.Api.Tests.Onboarding;

/// <summary>
/// Least privilege held against what the product really does, not against a second hand-kept list: the product's flows
/// run through the AWS provider against the simulator's AWS wire (the demo's <c>--Cloud:Provider=aws</c> setup), the
/// simulator records every action IAM was asked to authorize for a customer's role (its call log, by the role's account),
/// and that set is compared with <see cref="AwsCalledActions"/>, which <c>CloudFormationTemplateTests</c> holds equal to
/// the template's policy and to <see cref="RequiredPermissions"/>.
/// </summary>
public sealed class CustomerRoleActionsTests
{
    private const string Password = "Demo-Password-2026";
    private const string AdminEmail = "role-actions@spotoptimizer.io";
    private const string AdminPassword = "Least-Privilege-2026!";
    private const string LabAccount = "444455556666";

    [Fact]
    public async Task ProductFlowsThroughTheAwsProvider_AskTheRoleForExactlyTheDeclaredActions()
    {
        var port = SpotOptimizerApp.FreePort();
        await using var app = SpotOptimizerApp.OnPort(port, new Dictionary<string, string?>(FastCloud)
        {
            ["Cloud:Provider"] = "aws",
            ["Cloud:Aws:ServiceUrl"] = $"http://127.0.0.1:{port}/simulator/aws",
            ["Simulator:ServeAws"] = "true",
            ["Cloud:Simulator:StopTime"] = "00:00:00",
            ["Market:FirstLoadRetry"] = "00:00:01",
            ["Demo:Enabled"] = "true",
            ["Demo:Password"] = Password,
            ["Optimizer:FirstRun"] = "00:00:20",
            ["Auth:SuperAdminEmail"] = AdminEmail,
            ["Auth:SuperAdminPassword"] = AdminPassword,
        });
        Assert.IsType<AwsCloud>(app.Services.GetRequiredService<ICloudProvider>());
        var cloud = SimulatedCloudOf(app);
        var demo = await TenantClient.SignInDemoAsync(app, Password);

        // The Lab's live switch of a stateful node, on the super admin's own account: stop, move its volume, launch Spot,
        // attach; then one whose attach fails, rolled back (the volume back, the node started again).
        var admin = await TenantClient.SignInAsync(app, AdminEmail, AdminPassword);
        var labAccount = await Journey.LinkAccountAsync(admin, LabAccount);
        var (clusterId, _, _) = await Journey.ConnectFirstClusterAsync(admin, labAccount);
        var clusterName = (await admin.GetJsonAsync($"/api/clusters/{clusterId}")).GetProperty("name").GetString()!;
        var onDemand = cloud.World.FindAccount(LabAccount)!.FindRegion("us-east-1")!.Instances
            .Where(n => n.Instance.ClusterName == clusterName && n.TerminatedAt is null && n.Instance.Lifecycle == InstanceLifecycle.OnDemand)
            .Select(n => n.Instance).ToList();
        var switched = await SwitchFirstPlannableAsync(cloud, admin, clusterId, onDemand, "vol-0a1b2c3d4e5f60718");
        Assert.True(switched.Result.GetProperty("status").GetString() == "completed", switched.Result.GetRawText());
        cloud.InjectFault(CloudActions.AttachVolume, new CloudException(CloudErrorCodes.InvalidRequest, "The device is in use."), accountId: LabAccount);
        var rolledBack = await SwitchFirstPlannableAsync(cloud, admin, clusterId, onDemand.Where(i => i.InstanceId != switched.Instance).ToList(), "vol-0b1c2d3e4f5a60719");
        Assert.True(rolledBack.Result.GetProperty("status").GetString() == "failed", rolledBack.Result.GetRawText());
        Assert.Contains(rolledBack.Result.GetProperty("steps").EnumerateArray(), s => s.GetProperty("step").GetString() == LiveSwitchSteps.StartInstance);

        // The demo's discovery, events polling and an optimize job that launches, drains and terminates; the instance state
        // changes it causes reach the events queue, which the poller reads and acknowledges.
        await Eventually.Wait(
            async () => (await Activity(demo)).Count(e => e.GetProperty("action").GetString() == "optimization.completed"),
            completed => completed > 0,
            TimeSpan.FromSeconds(120),
            "a demo cluster's optimize job to finish through the AWS provider");
        await Eventually.Wait(() => Task.FromResult(cloud.Calls.Count(c => c.Operation == CloudActions.DeleteMessage && c.Succeeded)), acknowledged => acknowledged > 0,
            TimeSpan.FromSeconds(60), "the events poller to acknowledge the optimize job's instance events");

        var observed = RoleActions(cloud, SimulatedWorld.DemoAccountId, await VerifiedAtAsync(demo))
            .Union(RoleActions(cloud, LabAccount, await VerifiedAtAsync(admin)))
            .ToHashSet(StringComparer.Ordinal);
        var undeclared = observed.Except(AwsCalledActions.All).Order(StringComparer.Ordinal).ToList();
        // Declared, not observed: only what IAM authorizes within another call (RunInstances and PassRole for CreateFleet).
        var unused = AwsCalledActions.All.Except(observed).Except(AwsCalledActions.AuthorizedWithinOtherCalls).Order(StringComparer.Ordinal).ToList();
        Assert.True(undeclared.Count == 0 && unused.Count == 0,
            $"called but not declared: [{string.Join(", ", undeclared)}]; declared but never called: [{string.Join(", ", unused)}]; " +
            $"observed: [{string.Join(", ", observed.Order(StringComparer.Ordinal))}]");
    }

    private static async Task<IEnumerable<JsonElement>> Activity(TenantClient tenant) =>
        (await tenant.GetJsonAsync("/api/activity/live?limit=500")).GetProperty("events").EnumerateArray().ToList();

    /// <summary>
    /// When the account's link was verified. The permission check before it dry-runs every declared action by design (it
    /// proves the role, not the need), so only the role's calls after it count.
    /// </summary>
    private static async Task<DateTimeOffset> VerifiedAtAsync(TenantClient tenant) =>
        (await Activity(tenant)).Single(e => e.GetProperty("action").GetString() == "account.verified").GetProperty("occurred_at").GetDateTimeOffset();

    /// <summary>
    /// Gives each candidate in turn a data volume and live-switches it, until one is planned (the model may accept no
    /// Spot pool for a node's type and zone): that node's experiment as it finished.
    /// </summary>
    private static async Task<(string Instance, JsonElement Result)> SwitchFirstPlannableAsync(SimulatedCloud cloud, TenantClient admin, string clusterId,
        IReadOnlyList<Ec2Instance> candidates, string volumeId)
    {
        foreach (var (instance, index) in candidates.Select((c, i) => (c, i)))
        {
            var volume = $"{volumeId[..^2]}{index:00}";
            cloud.Update(world => world.UpdateRegion(LabAccount, "us-east-1", r => r.WithVolume(new SimulatedVolume(volume, instance.AvailabilityZone,
                new VolumeAttachment(volume, instance.InstanceId, "/dev/sdf", VolumeAttachmentState.Attached)))));
            var id = (await admin.PostJsonAsync("/api/lab/live-switch", new { cluster_id = clusterId, instance_id = instance.InstanceId, model = BuiltinModel.Id },
                HttpStatusCode.Accepted)).GetProperty("test_id").GetString()!;
            var result = await Eventually.Wait(() => admin.GetJsonAsync($"/api/lab/experiments/{id}"), e => e.GetProperty("status").GetString() is "completed" or "failed",
                TimeSpan.FromSeconds(60), "the live switch to finish");
            if (result.GetProperty("steps").GetArrayLength() > 0) return (instance.InstanceId, result);
        }

        throw new InvalidOperationException($"No On-Demand node of the Lab's cluster could be planned onto Spot among {candidates.Count}.");
    }

    /// <summary>
    /// The IAM actions the simulator authorized for the account's role since <paramref name="since"/>, granted or not.
    /// <c>sts:AssumeRole</c> is the platform's own permission, and the simulator's own operation names (<c>sim:</c>,
    /// <c>k8s:</c>, <c>feed:</c>, <c>cloud:</c>) are not IAM actions.
    /// </summary>
    private static IEnumerable<string> RoleActions(SimulatedCloud cloud, string accountId, DateTimeOffset since) =>
        cloud.Calls
            .Where(c => c.Timestamp > since && c.AccountId == accountId && c.Operation.Split(':')[0] is "ec2" or "eks" or "autoscaling" or "iam" or "sqs")
            .Select(c => c.Operation)
            .Distinct(StringComparer.Ordinal);
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using SpotOptimizer.Api.Tests.Onboarding;
using SpotOptimizer.Api.Tests.Optimization;
using SpotOptimizer.Cloud;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.Grains.Interfaces.Lab;
using SpotOptimizer.Grains.Lab;
using SpotOptimizer.Optimization.Lab;
using SpotOptimizer.Testing;
using SpotOptimizer.Testing.SignalR;

namespace SpotOptimizer.Api.Tests.Lab;

/// <summary>
/// A/B tests through the API on the simulated cloud: a super admin's own cluster, two of its On-Demand nodes, one model
/// per arm. Ticks are fast (200 ms) and nodes boot at once, so arms move within a second or two.
/// </summary>
public sealed class LabExperimentsApiTests : IAsyncLifetime
{
    private const string AdminEmail = "lab-ab@spotoptimizer.io";
    private const string AdminPassword = "Arm-Wrestler-2026!";
    private const string AwsAccount = "444455556666";

    private SpotOptimizerApp _app = null!;
    private TenantClient _admin = null!;
    private string _clusterId = "";
    private string _clusterName = "";
    private string _accountId = "";

    public async Task InitializeAsync()
    {
        _app = SpotOptimizerApp.With(OptimizationJourney.Settings(
            ("Auth:SuperAdminEmail", AdminEmail), ("Auth:SuperAdminPassword", AdminPassword), ("Lab:TickInterval", "00:00:00.200"), ("Lab:MinSamples", "3"),
            ("Optimizer:FirstRun", "1.00:00:00"), ("Cloud:Simulator:StopTime", "00:00:00")));
        _admin = await TenantClient.SignInAsync(_app, AdminEmail, AdminPassword);
        _accountId = await Journey.LinkAccountAsync(_admin, AwsAccount);
        (_clusterId, _, _) = await Journey.ConnectFirstClusterAsync(_admin, _accountId);
        _clusterName = (await _admin.GetJsonAsync($"/api/clusters/{_clusterId}")).GetProperty("name").GetString()!;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private SimulatedCloud Cloud => OptimizationJourney.SimulatedCloudOf(_app);

    private IReadOnlyList<SimulatedNode> Nodes() =>
        [.. Cloud.World.FindAccount(AwsAccount)!.FindRegion("us-east-1")!.Instances.Where(n => n.Instance.ClusterName == _clusterName)];

    /// <summary>The cluster's instances not terminated (the world records termination; states are derived when EC2 is asked).</summary>
    private IReadOnlyList<Ec2Instance> Instances() => [.. Nodes().Where(n => n.TerminatedAt is null).Select(n => n.Instance)];

    private bool Live(string instanceId) => Nodes().Single(n => n.Instance.InstanceId == instanceId).TerminatedAt is null;

    private (string A, string B) TwoOnDemandNodes()
    {
        var onDemand = Instances().Where(i => i.Lifecycle == InstanceLifecycle.OnDemand).ToList();
        Assert.True(onDemand.Count >= 3, $"the simulated cluster should have at least three On-Demand nodes, has {onDemand.Count}");
        return (onDemand[0].InstanceId, onDemand[1].InstanceId);
    }

    private async Task<string> StartAsync(string instanceA, string instanceB, int minutes = 60)
    {
        var started = await _admin.PostJsonAsync("/api/lab/parallel", new
        {
            cluster_id = _clusterId, instance_a = instanceA, model_a = BuiltinModel.Id, instance_b = instanceB, model_b = BuiltinModel.Id,
            duration_minutes = minutes,
        }, HttpStatusCode.Accepted);
        return started.GetProperty("test_id").GetString()!;
    }

    private Task<JsonElement> WaitAsync(string id, Func<JsonElement, bool> until, string what) =>
        Eventually.Wait(() => _admin.GetJsonAsync($"/api/lab/experiments/{id}"), until, TimeSpan.FromSeconds(30), what);

    private static JsonElement Arm(JsonElement experiment, string arm) => experiment.GetProperty("arms").EnumerateArray().Single(a => a.GetProperty("arm").GetString() == arm);

    [Fact]
    public async Task Parallel_BothArmsMoveTheirOwnNodeToSpot_OtherNodesUntouched()
    {
        var (a, b) = TwoOnDemandNodes();
        var bystanders = Instances().Where(i => i.InstanceId != a && i.InstanceId != b).Select(i => i.InstanceId).ToHashSet();

        var id = await StartAsync(a, b);
        var experiment = await WaitAsync(id, e => Arm(e, "A").GetProperty("moves").GetInt32() >= 1 && Arm(e, "B").GetProperty("moves").GetInt32() >= 1, "both arms to move");

        foreach (var (arm, original) in new[] { ("A", a), ("B", b) })
        {
            var view = Arm(experiment, arm);
            var current = Instances().Single(i => i.InstanceId == view.GetProperty("current_instance_id").GetString());
            Assert.Equal(InstanceLifecycle.Spot, current.Lifecycle);
            Assert.Equal(id, current.Tags[LabTags.Experiment]);
            Assert.Equal(arm, current.Tags[LabTags.Arm]);
            Assert.Equal(view.GetProperty("pool").GetString(), $"{current.AvailabilityZone}/{current.InstanceType}");
            Assert.False(Live(original), $"arm {arm}'s original node should be terminated");
            Assert.True(view.GetProperty("mean_boot_seconds").GetDouble() >= 0);
        }

        Assert.All(bystanders, n => Assert.True(Live(n), $"{n} is in no arm and must stay"));
        var series = experiment.GetProperty("series").EnumerateArray().ToList();
        Assert.Contains(series, p => p.GetProperty("arm").GetString() == "A" && p.GetProperty("event").GetString() == "moved");
        Assert.Contains(series, p => p.GetProperty("arm").GetString() == "B" && p.GetProperty("event").GetString() == "moved");
        Assert.Equal(series.Select(p => p.GetProperty("seq").GetInt64()).Order(), series.Select(p => p.GetProperty("seq").GetInt64()));
        var listed = (await _admin.GetJsonAsync("/api/lab/experiments")).GetProperty("experiments").EnumerateArray().Single(e => e.GetProperty("id").GetString() == id);
        Assert.Equal("running", listed.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Parallel_UploadedOnnxModelAgainstTheBuiltIn_EachArmScoresWithItsOwnModel()
    {
        using var upload = await LabModelsApiTests.UploadAsync(_admin.Http, InterruptionOnnxModels.Logistic(), "logistic.onnx", name: "ab-logistic");
        var modelId = (await TenantClient.ExpectAsync(upload, HttpStatusCode.Created)).GetProperty("id").GetString()!;
        var (a, b) = TwoOnDemandNodes();

        var started = await _admin.PostJsonAsync("/api/lab/parallel", new
        {
            cluster_id = _clusterId, instance_a = a, model_a = BuiltinModel.Id, instance_b = b, model_b = modelId,
        }, HttpStatusCode.Accepted);
        var id = started.GetProperty("test_id").GetString()!;
        var experiment = await WaitAsync(id, e => Arm(e, "A").GetProperty("moves").GetInt32() >= 1 && Arm(e, "B").GetProperty("moves").GetInt32() >= 1, "both arms to move");

        Assert.Equal("1.0.0", Arm(experiment, "A").GetProperty("model_version").GetString());
        Assert.Equal("ab-logistic@1", Arm(experiment, "B").GetProperty("model_version").GetString());
    }

    [Fact]
    public async Task Parallel_InterruptionOfArmA_CountedForAOnlyAndOnlyAMovesAgain()
    {
        var (a, b) = TwoOnDemandNodes();
        var id = await StartAsync(a, b);
        var moved = await WaitAsync(id, e => Arm(e, "A").GetProperty("moves").GetInt32() >= 1 && Arm(e, "B").GetProperty("moves").GetInt32() >= 1, "both arms to move");
        var spotA = Arm(moved, "A").GetProperty("current_instance_id").GetString()!;
        var spotB = Arm(moved, "B").GetProperty("current_instance_id").GetString()!;

        Cloud.InterruptSpotInstance(AwsAccount, "us-east-1", spotA);
        var after = await WaitAsync(id, e => Arm(e, "A").GetProperty("interruptions").GetInt32() == 1 && Arm(e, "A").GetProperty("current_instance_id").GetString() != spotA,
            "arm A to count the interruption and move off the reclaimed node");

        Assert.Equal(0, Arm(after, "B").GetProperty("interruptions").GetInt32());
        Assert.Equal(spotB, Arm(after, "B").GetProperty("current_instance_id").GetString());
        Assert.True(Live(spotB));
        Assert.Contains(after.GetProperty("series").EnumerateArray(), p => p.GetProperty("arm").GetString() == "A" && p.GetProperty("event").GetString() == "interrupted");
        Assert.True(Arm(after, "A").GetProperty("spot_hours").GetDouble() > 0);
    }

    [Fact]
    public async Task Stop_RunningTest_StoppedAuditedAndItsNodesReleased()
    {
        var (a, b) = TwoOnDemandNodes();
        var id = await StartAsync(a, b);
        await WaitAsync(id, e => e.GetProperty("series").GetArrayLength() >= 4, "a few points");

        var stopped = await _admin.PostJsonAsync($"/api/lab/experiments/{id}/stop", null);
        Assert.Equal("stopped", stopped.GetProperty("status").GetString());
        Assert.Contains(stopped.GetProperty("verdict").GetProperty("reason").GetString(), new[] { "collecting", "no_significant_difference", "higher_savings", "fewer_interruptions" });
        var points = stopped.GetProperty("series").GetArrayLength();
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(points, (await _admin.GetJsonAsync($"/api/lab/experiments/{id}")).GetProperty("series").GetArrayLength());
        Assert.Contains("lab.experiment_stopped", await Journey.ActivityActionsAsync(_admin));
        Assert.Contains("lab.experiment_started", await Journey.ActivityActionsAsync(_admin));
        var listed = (await _admin.GetJsonAsync("/api/lab/experiments")).GetProperty("experiments").EnumerateArray().Single(e => e.GetProperty("id").GetString() == id);
        Assert.Equal(0, listed.GetProperty("held_instances").GetArrayLength());

        // Released: once discovery has seen the arms' new nodes, they may start a new test.
        await _app.Services.GetRequiredService<Orleans.IGrainFactory>().GetGrain<SpotOptimizer.Grains.Interfaces.Accounts.IAccountGrain>(_accountId).Discover();
        var current = Arm(stopped, "A").GetProperty("current_instance_id").GetString()!;
        var other = Arm(stopped, "B").GetProperty("current_instance_id").GetString()!;
        await StartAsync(current, other);
    }

    [Fact]
    public async Task Parallel_NodeHeldByARunningTest_Conflict()
    {
        var (a, b) = TwoOnDemandNodes();
        await StartAsync(a, b);
        var third = Instances().First(i => i.InstanceId != a && i.InstanceId != b && i.Lifecycle == InstanceLifecycle.OnDemand).InstanceId;

        using var response = await _admin.Http.PostAsJsonAsync("/api/lab/parallel", new
        {
            cluster_id = _clusterId, instance_a = a, model_a = BuiltinModel.Id, instance_b = third, model_b = BuiltinModel.Id,
        });

        await Sweeps.ProblemAssert.IsAsync(response, HttpStatusCode.Conflict, "instance_in_experiment");
    }

    [Fact]
    public async Task Parallel_UnknownModelClusterOrInstance_NotFoundNamingWhat()
    {
        var (a, b) = TwoOnDemandNodes();
        async Task ExpectAsync(object body, string code)
        {
            using var response = await _admin.Http.PostAsJsonAsync("/api/lab/parallel", body);
            await Sweeps.ProblemAssert.IsAsync(response, HttpStatusCode.NotFound, code);
        }

        await ExpectAsync(new { cluster_id = _clusterId, instance_a = a, model_a = "no-such-model", instance_b = b, model_b = BuiltinModel.Id }, "model_not_found");
        await ExpectAsync(new { cluster_id = Guid.NewGuid(), instance_a = a, model_a = BuiltinModel.Id, instance_b = b, model_b = BuiltinModel.Id }, "not_found");
        await ExpectAsync(new { cluster_id = _clusterId, instance_a = "i-00000000deadbeef", model_a = BuiltinModel.Id, instance_b = b, model_b = BuiltinModel.Id },
            "instance_not_found");
        Assert.Empty((await _admin.GetJsonAsync("/api/lab/experiments")).GetProperty("experiments").EnumerateArray());
    }

    [Theory]
    [InlineData("{}", "cluster_id")]
    [InlineData("""{"cluster_id":"x","instance_a":"i-0123456789abcdef0","model_a":"builtin","instance_b":"i-0123456789abcdef1","model_b":"builtin"}""", "cluster_id")]
    [InlineData("""{"cluster_id":"9b2f3f6e-5a53-4c57-9d38-1c1f2b1f0a11","instance_a":"web-1","model_a":"builtin","instance_b":"i-0123456789abcdef1","model_b":"builtin"}""", "instance_a")]
    [InlineData("""{"cluster_id":"9b2f3f6e-5a53-4c57-9d38-1c1f2b1f0a11","instance_a":"i-0123456789abcdef0","model_a":"builtin","instance_b":"i-0123456789abcdef0","model_b":"builtin"}""", "instance_b")]
    [InlineData("""{"cluster_id":"9b2f3f6e-5a53-4c57-9d38-1c1f2b1f0a11","instance_a":"i-0123456789abcdef0","model_a":"builtin","instance_b":"i-0123456789abcdef1","model_b":"builtin","duration_minutes":0}""", "duration_minutes")]
    [InlineData("""{"cluster_id":"9b2f3f6e-5a53-4c57-9d38-1c1f2b1f0a11","instance_a":"i-0123456789abcdef0","model_a":"builtin","instance_b":"i-0123456789abcdef1","model_b":"builtin","duration_minutes":100000}""", "duration_minutes")]
    public async Task Parallel_InvalidBody_ValidationProblemNamingTheField(string json, string field)
    {
        using var response = await _admin.Http.PostAsync("/api/lab/parallel", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        var problem = await Sweeps.ProblemAssert.IsAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors should name {field}: {problem}");
    }

    [Fact]
    public async Task Hub_LateSubscriber_GetsTheHistoryThenLivePoints()
    {
        var (a, b) = TwoOnDemandNodes();
        var id = await StartAsync(a, b);
        await WaitAsync(id, e => e.GetProperty("series").GetArrayLength() >= 4, "a history to exist");
        var live = new List<JsonElement>();
        await using var hub = TestHubClient.Create(new Uri(_app.Server.BaseAddress, "/hubs/lab"), _admin.Token, _app.Server.CreateWebSocketClient().ConnectAsync);
        hub.On<JsonElement>("telemetry", t =>
        {
            lock (live) live.Add(t);
        });
        await hub.StartAsync();

        var history = await hub.InvokeAsync<JsonElement>("Watch", id);

        var lastSeq = history.GetProperty("series").EnumerateArray().Max(p => p.GetProperty("seq").GetInt64());
        Assert.True(history.GetProperty("series").GetArrayLength() >= 4);
        await Eventually.Wait(() => Task.FromResult(live.Count), n => n > 0, TimeSpan.FromSeconds(10), "a live point");
        JsonElement first;
        lock (live) first = live.First(t => t.GetProperty("point").ValueKind == JsonValueKind.Object);
        Assert.Equal(id, first.GetProperty("experiment_id").GetString());
        Assert.True(first.GetProperty("point").GetProperty("seq").GetInt64() >= lastSeq, "live points continue the history");
        await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<JsonElement>("Watch", Guid.NewGuid().ToString()));
    }

    [Fact]
    public async Task Parallel_UnderSafeMode_ArmsOnlySayWhereTheyWouldMove()
    {
        await _admin.Http.PatchAsJsonAsync("/api/admin/safe-mode", new { enabled = true, reason = "lab dry run" });
        await Task.Delay(TimeSpan.FromSeconds(3)); // every silo reads the switch within Safety:RefreshInterval (2 s)
        var (a, b) = TwoOnDemandNodes();
        var before = Instances().Count;

        var id = await StartAsync(a, b);
        var experiment = await WaitAsync(id, e => Arm(e, "A").GetProperty("moves").GetInt32() >= 1 && Arm(e, "B").GetProperty("moves").GetInt32() >= 1, "both arms to decide");

        Assert.True(experiment.GetProperty("dry_run").GetBoolean());
        Assert.Equal(before, Instances().Count);
        Assert.True(Live(a));
        Assert.Equal(a, Arm(experiment, "A").GetProperty("current_instance_id").GetString());
        Assert.Contains(experiment.GetProperty("series").EnumerateArray(), p => p.GetProperty("event").GetString() == "would_move");
    }

    private const string DataVolume = "vol-0a1b2c3d4e5f60718";

    /// <summary>Gives <paramref name="instanceId"/> a data volume under /dev/sdf, as a stateful node has.</summary>
    private void AttachDataVolume(string instanceId)
    {
        var zone = Instances().Single(i => i.InstanceId == instanceId).AvailabilityZone;
        Cloud.Update(world => world.UpdateRegion(AwsAccount, "us-east-1", r => r.WithVolume(new SimulatedVolume(DataVolume, zone,
            new VolumeAttachment(DataVolume, instanceId, "/dev/sdf", VolumeAttachmentState.Attached)))));
    }

    private VolumeAttachment? DataVolumeAttachment() =>
        Cloud.World.FindAccount(AwsAccount)!.FindRegion("us-east-1")!.Volumes.Single(v => v.VolumeId == DataVolume).Attachment;

    private async Task<string> LiveSwitchAsync(string instanceId) =>
        (await _admin.PostJsonAsync("/api/lab/live-switch", new { cluster_id = _clusterId, instance_id = instanceId, model = BuiltinModel.Id }, HttpStatusCode.Accepted))
            .GetProperty("test_id").GetString()!;

    private static List<(string Step, string Status)> Steps(JsonElement experiment) =>
        [.. experiment.GetProperty("steps").EnumerateArray().Select(s => (s.GetProperty("step").GetString()!, s.GetProperty("status").GetString()!))];

    [Fact]
    public async Task LiveSwitch_NodeWithADataVolume_RunsOnSpotWithItsVolumeStepByStep()
    {
        var (node, _) = TwoOnDemandNodes();
        AttachDataVolume(node);

        var id = await LiveSwitchAsync(node);
        var done = await WaitAsync(id, e => e.GetProperty("status").GetString() is "completed" or "failed", "the live switch to finish");

        Assert.True(done.GetProperty("status").GetString() == "completed", done.GetRawText());
        var arm = Arm(done, "switch");
        var spot = arm.GetProperty("current_instance_id").GetString()!;
        Assert.NotEqual(node, spot);
        Assert.Equal(InstanceLifecycle.Spot, Instances().Single(i => i.InstanceId == spot).Lifecycle);
        Assert.Equal(id, Instances().Single(i => i.InstanceId == spot).Tags[LabTags.Experiment]);
        Assert.Equal((spot, "/dev/sdf"), (DataVolumeAttachment()!.InstanceId, DataVolumeAttachment()!.Device));
        Assert.True(arm.GetProperty("hourly_price").GetDouble() < arm.GetProperty("on_demand_hourly_price").GetDouble());
        var finished = Steps(done).Where(s => s.Status != "started").Select(s => s.Step).ToList();
        Assert.Equal(["stop_instance", "detach_volume", "launch_spot", "boot", "attach_volume"], finished);
        Assert.All(Steps(done).Where(s => s.Status != "started"), s => Assert.Equal("ok", s.Status));
        Assert.Contains("lab.experiment_completed", await Journey.ActivityActionsAsync(_admin));
    }

    [Fact]
    public async Task LiveSwitch_AttachFails_RolledBackAndTheNodeKeepsItsVolume()
    {
        var (node, _) = TwoOnDemandNodes();
        AttachDataVolume(node);
        Cloud.InjectFault(CloudActions.AttachVolume, CloudException.Unavailable());

        var id = await LiveSwitchAsync(node);
        var done = await WaitAsync(id, e => e.GetProperty("status").GetString() is "completed" or "failed", "the live switch to finish");

        Assert.Equal("failed", done.GetProperty("status").GetString());
        Assert.Contains("rolled back", done.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains(("attach_volume", "failed"), Steps(done));
        Assert.Contains(("terminate_spot", "rolled_back"), Steps(done));
        Assert.Equal(node, DataVolumeAttachment()!.InstanceId);
        Assert.True(Live(node));
        Assert.DoesNotContain(Instances(), i => i.Tags.TryGetValue(LabTags.Experiment, out var e) && e == id);
    }

    [Theory]
    [InlineData("{}", "cluster_id")]
    [InlineData("""{"cluster_id":"9b2f3f6e-5a53-4c57-9d38-1c1f2b1f0a11","instance_id":"node-1","model":"builtin"}""", "instance_id")]
    [InlineData("""{"cluster_id":"9b2f3f6e-5a53-4c57-9d38-1c1f2b1f0a11","instance_id":"i-0123456789abcdef0"}""", "model")]
    public async Task LiveSwitch_InvalidBody_ValidationProblemNamingTheField(string json, string field)
    {
        using var response = await _admin.Http.PostAsync("/api/lab/live-switch", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        var problem = await Sweeps.ProblemAssert.IsAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors should name {field}: {problem}");
    }

    [Fact]
    public async Task EveryLabRoute_WithoutTokenUnauthorized_ClientForbidden()
    {
        var client = await TenantClient.SignUpAsync(_app);
        using var anonymous = _app.CreateClient();
        var routes = _app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/lab", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Method: m, Path: PathOf(e.RoutePattern.RawText!))))
            .ToList();
        Assert.Contains(routes, r => r == ("POST", "/api/lab/parallel"));

        foreach (var (method, path) in routes)
        {
            using var none = await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
            Assert.True(none.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} without a token: {(int)none.StatusCode}");
            using var forbidden = await client.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
            Assert.True(forbidden.StatusCode == HttpStatusCode.Forbidden, $"{method} {path} as a client: {(int)forbidden.StatusCode}");
        }
    }

    private static string PathOf(string pattern) => System.Text.RegularExpressions.Regex.Replace(pattern, "{[^}]+}", Guid.NewGuid().ToString());
}

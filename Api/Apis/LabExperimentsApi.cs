using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Orleans;
using SpotOptimizer.Api.Auth;
using SpotOptimizer.Api.Http;
using SpotOptimizer.Grains.Interfaces.Clusters;
using SpotOptimizer.Grains.Interfaces.Lab;
using SpotOptimizer.Optimization.Lab;
using SpotOptimizer.Tenancy.Lab;

namespace SpotOptimizer.Api.Apis;

/// <summary>
/// The Lab's experiments (issue 15): <c>POST /api/lab/parallel</c> starts an A/B test of two models on two nodes of one
/// of the admin's clusters; <c>GET /api/lab/experiments/{id}</c> is the seed's <c>/lab/stream/{id}</c> as one read (the
/// live series is <c>/hubs/lab</c>). Experiments act on the admin's own organization's clusters, through the executor.
/// </summary>
public static partial class LabExperimentsApi
{
    public const int DefaultDurationMinutes = 60;

    public static RouteGroupBuilder MapLabExperimentsApi(this RouteGroupBuilder lab)
    {
        lab.MapPost("/parallel", StartParallel).AcceptsJson<ParallelRequest>().Produces<ExperimentStarted>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        lab.MapPost("/live-switch", StartLiveSwitch).AcceptsJson<LiveSwitchRequest>().Produces<ExperimentStarted>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        lab.MapGet("/experiments", List).Produces<ExperimentList>();
        lab.MapGet("/experiments/{id}", Get).Produces<ExperimentView>().ProducesProblem(StatusCodes.Status404NotFound);
        lab.MapPost("/experiments/{id}/stop", Stop).Produces<ExperimentView>().ProducesProblem(StatusCodes.Status404NotFound);
        return lab;
    }

    public static async Task<IResult> StartParallel(
        HttpRequest request, ClaimsPrincipal admin, IGrainFactory grains, ModelRegistry registry, IOptions<LabOptions> options, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<ParallelRequest>(request, cancellationToken);
        if (problem is not null) return problem;
        var duration = TimeSpan.FromMinutes(body!.DurationMinutes ?? DefaultDurationMinutes);
        if (duration > options.Value.MaxDuration)
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["duration_minutes"] = [$"must be at most {options.Value.MaxDuration.TotalMinutes:0}."] });
        }

        var organizationId = admin.OrganizationId();
        var clusterId = Ids.TryNormalize(body.ClusterId, out var id) ? id : "";
        var (nodes, refused) = await ArmNodesAsync(grains, registry, organizationId, clusterId, [(body.InstanceA!, body.ModelA!), (body.InstanceB!, body.ModelB!)], cancellationToken);
        if (refused is not null) return refused;
        List<ArmStart> arms = [new("A", nodes[0].InstanceId, nodes[0].InstanceType, body.ModelA!), new("B", nodes[1].InstanceId, nodes[1].InstanceType, body.ModelB!)];
        var experimentId = Guid.NewGuid().ToString("D");
        var view = await grains.GetGrain<ILabExperimentGrain>(experimentId).StartParallel(new ParallelExperimentStart(organizationId, admin.Actor(), clusterId, arms, duration));
        return TypedResults.Accepted($"/api/lab/experiments/{experimentId}", new ExperimentStarted(experimentId, view));
    }

    public static async Task<IResult> StartLiveSwitch(HttpRequest request, ClaimsPrincipal admin, IGrainFactory grains, ModelRegistry registry, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<LiveSwitchRequest>(request, cancellationToken);
        if (problem is not null) return problem;
        var organizationId = admin.OrganizationId();
        var clusterId = Ids.TryNormalize(body!.ClusterId, out var id) ? id : "";
        var (nodes, refused) = await ArmNodesAsync(grains, registry, organizationId, clusterId, [(body.InstanceId!, body.Model!)], cancellationToken);
        if (refused is not null) return refused;
        var node = nodes[0];
        var experimentId = Guid.NewGuid().ToString("D");
        var view = await grains.GetGrain<ILabExperimentGrain>(experimentId).StartLiveSwitch(
            new LiveSwitchStart(organizationId, admin.Actor(), clusterId, node.InstanceId, node.InstanceType, node.AvailabilityZone, body.Model!));
        return TypedResults.Accepted($"/api/lab/experiments/{experimentId}", new ExperimentStarted(experimentId, view));
    }

    public static async Task<IResult> List(IGrainFactory grains) =>
        TypedResults.Ok(new ExperimentList(await grains.GetGrain<ILabDirectoryGrain>(ILabDirectoryGrain.Key).List()));

    public static async Task<IResult> Get(string id, IGrainFactory grains)
    {
        if (!Ids.TryNormalize(id, out var experimentId)) return Ids.Invalid("id");
        return await grains.GetGrain<ILabExperimentGrain>(experimentId).Get() is { } view ? TypedResults.Ok(view) : Problems.NotFound("experiment");
    }

    public static async Task<IResult> Stop(string id, ClaimsPrincipal admin, IGrainFactory grains)
    {
        if (!Ids.TryNormalize(id, out var experimentId)) return Ids.Invalid("id");
        return await grains.GetGrain<ILabExperimentGrain>(experimentId).Stop(admin.Actor()) is { } view ? TypedResults.Ok(view) : Problems.NotFound("experiment");
    }

    /// <summary>
    /// The nodes an experiment asks for, in order: each a node of the admin's cluster, its model registered, none held by
    /// a running experiment; otherwise the problem that says which is not.
    /// </summary>
    private static async Task<(IReadOnlyList<NodeSummary> Nodes, IResult? Problem)> ArmNodesAsync(IGrainFactory grains, ModelRegistry registry, string organizationId,
        string clusterId, IReadOnlyList<(string InstanceId, string ModelId)> arms, CancellationToken cancellationToken)
    {
        var nodes = await grains.GetGrain<IClusterGrain>(clusterId).GetNodes(organizationId);
        if (nodes is null) return ([], Problems.NotFound("cluster"));
        var found = new List<NodeSummary>(arms.Count);
        foreach (var (instanceId, modelId) in arms)
        {
            if (nodes.FirstOrDefault(n => n.InstanceId == instanceId) is not { } node)
            {
                return ([], Problems.Of(StatusCodes.Status404NotFound, "instance_not_found", "Not found.", $"{instanceId} is not a node of cluster {clusterId}."));
            }

            if (modelId != BuiltinModel.Id && await registry.FindAsync(modelId, cancellationToken) is null)
            {
                return ([], Problems.Of(StatusCodes.Status404NotFound, "model_not_found", "Not found.", $"No model '{modelId}' is registered."));
            }

            found.Add(node);
        }

        var held = await grains.GetGrain<ILabDirectoryGrain>(ILabDirectoryGrain.Key).HeldIn(clusterId);
        return found.FirstOrDefault(n => held.Contains(n.InstanceId)) is { } busy
            ? ([], Problems.Conflict("instance_in_experiment", $"{busy.InstanceId} is held by another running experiment; stop it first."))
            : (found, null);
    }

    [GeneratedRegex("^i-[0-9a-f]{8,17}$")]
    private static partial Regex InstanceIdPattern();

    /// <param name="DurationMinutes">How long the test runs (default 60), at most <c>Lab:MaxDuration</c>.</param>
    public sealed record ParallelRequest(string? ClusterId, string? InstanceA, string? ModelA, string? InstanceB, string? ModelB, int? DurationMinutes) : IValidatable
    {
        public void Validate(ValidationErrors errors)
        {
            errors.RequiredId("cluster_id", ClusterId);
            Instance(errors, "instance_a", InstanceA);
            Instance(errors, "instance_b", InstanceB);
            if (InstanceA is not null && InstanceA == InstanceB) errors.Add("instance_b", "must differ from instance_a: each arm needs its own node.");
            Model(errors, "model_a", ModelA);
            Model(errors, "model_b", ModelB);
            if (DurationMinutes is < 1) errors.Add("duration_minutes", "must be at least 1.");
        }

        internal static void Instance(ValidationErrors errors, string field, string? value)
        {
            if (errors.Required(field, value) && !InstanceIdPattern().IsMatch(value!)) errors.Add(field, "must be an EC2 instance id (i-0123456789abcdef0).");
        }

        internal static void Model(ValidationErrors errors, string field, string? value)
        {
            if (errors.Required(field, value) && value!.Length > 100) errors.Add(field, "must be at most 100 characters.");
        }
    }

    /// <summary>The seed's <c>{instance_id, model}</c>, with the cluster the node belongs to.</summary>
    public sealed record LiveSwitchRequest(string? ClusterId, string? InstanceId, string? Model) : IValidatable
    {
        public void Validate(ValidationErrors errors)
        {
            errors.RequiredId("cluster_id", ClusterId);
            ParallelRequest.Instance(errors, "instance_id", InstanceId);
            ParallelRequest.Model(errors, "model", Model);
        }
    }

    /// <param name="TestId">The experiment's id (the seed's <c>test_id</c>).</param>
    public sealed record ExperimentStarted(string TestId, ExperimentView Experiment);

    public sealed record ExperimentList(IReadOnlyList<ExperimentSummary> Experiments);
}

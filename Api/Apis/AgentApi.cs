using SpotOptimizer.Api.Auth;
using SpotOptimizer.Api.Http;
using SpotOptimizer.Grains.Interfaces.Clusters;
using Orleans;

namespace SpotOptimizer.Api.Apis;

/// <summary>
/// The in-cluster agent's door. It authenticates with its per-cluster token, which names the cluster, so a
/// heartbeat costs one grain call and no database access.
/// </summary>
public static partial class AgentApi
{
    public static IEndpointRouteBuilder MapAgentApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/agent/heartbeat", Heartbeat).WithTags("agent").AllowAnonymous().WithMetadata(AgentTokenAuthenticated.Instance)
            .AcceptsJson<HeartbeatRequest>().Produces<HeartbeatResponse>(StatusCodes.Status200OK);
        app.MapPost("/api/agent/inventory", ReportInventory).WithTags("agent").AllowAnonymous().WithMetadata(AgentTokenAuthenticated.Instance)
            .AcceptsJson<AgentInventoryRequest>().Produces<InventoryResponse>(StatusCodes.Status200OK);
        app.MapPost("/api/agent/interruptions", ReportInterruption).WithTags("agent").AllowAnonymous().WithMetadata(AgentTokenAuthenticated.Instance)
            .AcceptsJson<InterruptionRequest>().Produces<InterruptionResponse>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status429TooManyRequests);
        app.MapGet("/api/agent/commands", PollCommands).WithTags("agent").AllowAnonymous().WithMetadata(AgentTokenAuthenticated.Instance)
            .Produces<CommandsResponse>(StatusCodes.Status200OK);
        app.MapPost("/api/agent/commands/{id}/result", ReportCommandResult).WithTags("agent").AllowAnonymous().WithMetadata(AgentTokenAuthenticated.Instance)
            .AcceptsJson<CommandResultRequest>().Produces<CommandResultResponse>(StatusCodes.Status200OK);
        app.MapPost("/api/agent/safe-mode", ReportSafeMode).WithTags("agent").AllowAnonymous().WithMetadata(AgentTokenAuthenticated.Instance)
            .AcceptsJson<SafeModeReport>().Produces<SafeModeResponse>(StatusCodes.Status200OK);
        return app;
    }

    public static async Task<IResult> Heartbeat(HttpRequest request, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var token = AgentToken(request);
        if (token is null || AgentTokens.ClusterIdOf(token) is not { } clusterId)
        {
            return Problems.Unauthorized("invalid_agent_token", "Send the cluster's agent token as 'Authorization: Bearer soa_…'.");
        }

        var (body, problem) = await JsonBody.ReadAsync<HeartbeatRequest>(request, cancellationToken);
        if (problem is not null) return problem;
        var ack = await grains.GetGrain<IClusterGrain>(clusterId)
            .Heartbeat(new AgentHeartbeat(AgentTokens.HashOf(token), body!.AgentVersion!, body.NodeCount ?? 0, body.PodCount ?? 0));
        return ack is null
            ? Problems.Unauthorized("invalid_agent_token", "The agent token is not valid for this cluster (revoked or replaced).")
            : TypedResults.Ok(new HeartbeatResponse(ack.ClusterId, ack.PolicyVersion, ack.ReceivedAt));
    }

    /// <summary>The agent's full report (nodes, pods, workloads, usage): checked whole before the grain sees it, and a heartbeat too.</summary>
    public static async Task<IResult> ReportInventory(HttpRequest request, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var token = AgentToken(request);
        if (token is null || AgentTokens.ClusterIdOf(token) is not { } clusterId)
        {
            return Problems.Unauthorized("invalid_agent_token", "Send the cluster's agent token as 'Authorization: Bearer soa_…'.");
        }

        var (body, problem) = await StreamedJsonBody.ReadAsync<AgentInventoryRequest>(request, AgentInventoryRequest.MaxBytes, cancellationToken);
        if (problem is not null) return problem;
        if (body!.Inconsistency() is { } inconsistency) return Problems.BadRequest(inconsistency.Code, inconsistency.Detail);
        var ack = await grains.GetGrain<IClusterGrain>(clusterId)
            .ReportInventory(new AgentInventoryReport(AgentTokens.HashOf(token), body.AgentVersion!, body.ToInventory()));
        return ack is null
            ? Problems.Unauthorized("invalid_agent_token", "The agent token is not valid for this cluster (revoked or replaced).")
            : TypedResults.Ok(new InventoryResponse(ack.ClusterId, ack.PolicyVersion, ack.ReceivedAt, ack.InventoryVersion));
    }

    /// <summary>
    /// A Spot notice seen by the agent's termination handler: a claim the hive mind weighs before it answers. Alone it
    /// flags the pool for this tenant's own decisions; with other tenants' claims or a price jump behind it, for every
    /// tenant. Refused for a node the cluster does not run as Spot (422 unknown_instance) and over the tenant's
    /// allowance in the region (429 rate_limited, Retry-After).
    /// </summary>
    public static async Task<IResult> ReportInterruption(HttpRequest request, IGrainFactory grains, TimeProvider time, CancellationToken cancellationToken)
    {
        var token = AgentToken(request);
        if (token is null || AgentTokens.ClusterIdOf(token) is not { } clusterId)
        {
            return Problems.Unauthorized("invalid_agent_token", "Send the cluster's agent token as 'Authorization: Bearer soa_…'.");
        }

        var (body, problem) = await JsonBody.ReadAsync<InterruptionRequest>(request, cancellationToken);
        if (problem is not null) return problem;
        var now = time.GetUtcNow();
        if (body!.NoticeTime > now + InterruptionRequest.ClockSkew)
        {
            return Problems.BadRequest("notice_in_future", "notice_time is in the future; send the time of the notice EC2 gave.");
        }

        var result = await grains.GetGrain<IClusterGrain>(clusterId)
            .ReportInterruption(new AgentInterruption(AgentTokens.HashOf(token), body.InstanceId!, body.Kind!, body.NoticeTime ?? now));
        return result switch
        {
            null => Problems.Unauthorized("invalid_agent_token", "The agent token is not valid for this cluster (revoked or replaced)."),
            { Error: "rate_limited" } => RateLimited(request.HttpContext, result.RetryAfter ?? TimeSpan.FromMinutes(1)),
            { Error: "zone_not_in_market" } => Problems.Unprocessable("zone_not_in_market",
                $"{body.InstanceId} runs in a zone (by zone ID) that the platform's market does not quote, so no pool can be flagged for it."),
            { Error: { } error } => Problems.Unprocessable(error, $"{body.InstanceId} is not one of this cluster's Spot nodes (in the agent's latest inventory or the last discovery)."),
            _ => TypedResults.Ok(new InterruptionResponse(result.Pool!, result.FlaggedUntil, result.FlaggedFor, result.FlagReason)),
        };
    }

    /// <summary>Over the allowance nothing is flagged; the agent's reporter retries after the window frees a slot.</summary>
    private static IResult RateLimited(HttpContext http, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Problems.Of(StatusCodes.Status429TooManyRequests, "rate_limited", "Too many requests.",
            $"This organization's interruption reports in the region are over their allowance; nothing was flagged. Try again in {seconds} seconds.");
    }

    private static string? AgentToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..].Trim() : null;
    }

    public sealed record HeartbeatRequest(string? AgentVersion, int? NodeCount, int? PodCount) : IValidatable
    {
        public void Validate(ValidationErrors errors)
        {
            if (errors.Required("agent_version", AgentVersion) && AgentVersion!.Length > 64) errors.Add("agent_version", "must be at most 64 characters.");
            if (NodeCount is < 0 or > 100_000) errors.Add("node_count", "must be between 0 and 100000.");
            if (PodCount is < 0 or > 10_000_000) errors.Add("pod_count", "must be between 0 and 10000000.");
        }
    }

    public sealed partial record InterruptionRequest(string? InstanceId, string? Kind, DateTimeOffset? NoticeTime) : IValidatable
    {
        public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

        private static readonly string[] Kinds = [Grains.Interfaces.Market.InterruptionKinds.Interruption, Grains.Interfaces.Market.InterruptionKinds.RebalanceRecommendation];

        public void Validate(ValidationErrors errors)
        {
            if (errors.Required("instance_id", InstanceId) && !InstanceIdPattern().IsMatch(InstanceId!)) errors.Add("instance_id", "must be an EC2 instance id (i- and 8 or 17 hex digits).");
            if (errors.Required("kind", Kind) && !Kinds.Contains(Kind)) errors.Add("kind", $"must be one of {string.Join(", ", Kinds)}.");
        }

        [System.Text.RegularExpressions.GeneratedRegex("^i-([0-9a-f]{8}|[0-9a-f]{17})$")]
        private static partial System.Text.RegularExpressions.Regex InstanceIdPattern();
    }

    /// <param name="FlaggedFor">everyone (the evidence flagged the pool for every tenant) or reporter (this tenant's own decisions only).</param>
    /// <param name="FlagReason">aws_event, discovery_notice, distinct_tenants:N, price_jump:+P% or own_report.</param>
    public sealed record InterruptionResponse(string Pool, DateTimeOffset? FlaggedUntil, string? FlaggedFor, string? FlagReason);

    public sealed record HeartbeatResponse(string ClusterId, int PolicyVersion, DateTimeOffset ReceivedAt);

    public sealed record InventoryResponse(string ClusterId, int PolicyVersion, DateTimeOffset ReceivedAt, int InventoryVersion);
}

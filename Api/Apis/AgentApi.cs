using SpotOptimizer.Api.Http;
using SpotOptimizer.Grains.Clusters;
using SpotOptimizer.Grains.Interfaces.Clusters;
using SpotOptimizer.Runtime;

namespace SpotOptimizer.Api.Apis;

/// <summary>
/// The in-cluster agent's door. It authenticates with its per-cluster token, which names the cluster, so a
/// heartbeat costs one grain call and no database access.
/// </summary>
public static class AgentApi
{
    public static IEndpointRouteBuilder MapAgentApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/agent/heartbeat", Heartbeat).WithTags("agent").AllowAnonymous();
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

    public sealed record HeartbeatResponse(string ClusterId, int PolicyVersion, DateTimeOffset ReceivedAt);
}

using System.Security.Claims;
using SpotOptimizer.Api.Auth;
using SpotOptimizer.Api.Http;
using SpotOptimizer.Grains.Interfaces.Clusters;
using Orleans;

namespace SpotOptimizer.Api.Apis;

/// <summary>What the platform asked the cluster's agent to do, and what became of it.</summary>
public static class ClusterCommandsApi
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public static IEndpointRouteBuilder MapClusterCommandsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/clusters/{id}/commands", List).WithTags("clusters").RequireAuthorization(AuthServices.ClientPolicy)
            .Produces<ClusterCommands>(StatusCodes.Status200OK);
        return app;
    }

    public static async Task<IResult> List(string id, string? limit, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!Ids.TryNormalize(id, out var clusterId)) return Ids.Invalid("id");
        var count = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, out count) || count is < 1 or > MaxLimit))
        {
            return Problems.BadRequest("invalid_limit", $"limit must be a whole number from 1 to {MaxLimit}.");
        }

        var commands = await grains.GetGrain<IClusterGrain>(clusterId).ListCommands(user.OrganizationId(), count);
        return commands is null
            ? Problems.NotFound("cluster")
            : TypedResults.Ok(new ClusterCommands(clusterId, [.. commands.Select(CommandItem.From)]));
    }

    public sealed record ClusterCommands(string ClusterId, IReadOnlyList<CommandItem> Commands);

    /// <summary>One command as a person reads it: the command, its status and the agent's result.</summary>
    public sealed record CommandItem(
        string Id, string Kind, string Status, string? NodeName, string? InstanceId, bool DryRun, string Actor, DateTimeOffset IssuedAt,
        DateTimeOffset ExpiresAt, DateTimeOffset? FinishedAt, string? Code, string? Detail, int? EvictedPods, KarpenterCommand? Karpenter)
    {
        public static CommandItem From(AgentCommandRecord record) => new(
            record.Command.Id, record.Command.Kind, record.Status, record.Command.NodeName, record.Command.InstanceId, record.Command.DryRun, record.Actor,
            record.Command.IssuedAt, record.Command.ExpiresAt, record.FinishedAt, record.Result?.Code, record.Result?.Detail, record.Result?.EvictedPods,
            record.Command.Karpenter);
    }
}

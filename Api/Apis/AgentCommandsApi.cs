using SpotOptimizer.Api.Http;
using SpotOptimizer.Grains.Interfaces.Clusters;
using Orleans;

namespace SpotOptimizer.Api.Apis;

/// <summary>
/// The agent's command channel and safe-mode reports (agent token). A long poll waits in slices inside the cluster
/// grain (an interleaved call, so the grain keeps serving), never longer than a slice per grain call.
/// </summary>
public static partial class AgentApi
{
    public const int MaxWaitSeconds = 30;

    public static async Task<IResult> PollCommands(string? wait, HttpRequest request, IGrainFactory grains, TimeProvider time, CancellationToken cancellationToken)
    {
        if (AgentCluster(request) is not ({ } clusterId, { } hash)) return MissingToken();
        var seconds = 0;
        if (wait is not null && (!int.TryParse(wait, out seconds) || seconds is < 0 or > MaxWaitSeconds))
        {
            return Problems.BadRequest("invalid_wait", $"wait must be a whole number of seconds from 0 to {MaxWaitSeconds}.");
        }

        var cluster = grains.GetGrain<IClusterGrain>(clusterId);
        var deadline = time.GetUtcNow().AddSeconds(seconds);
        while (true)
        {
            var remaining = deadline - time.GetUtcNow();
            var commands = await cluster.PollCommands(hash, remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
            if (commands is null) return InvalidToken();
            if (commands.Count > 0 || time.GetUtcNow() >= deadline || cancellationToken.IsCancellationRequested)
                return TypedResults.Ok(new CommandsResponse(commands));
        }
    }

    public static async Task<IResult> ReportCommandResult(string id, HttpRequest request, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (AgentCluster(request) is not ({ } clusterId, { } hash)) return MissingToken();
        var (body, problem) = await JsonBody.ReadAsync<CommandResultRequest>(request, cancellationToken);
        if (problem is not null) return problem;
        var ack = await grains.GetGrain<IClusterGrain>(clusterId)
            .ReportCommandResult(hash, id, new AgentCommandResult(body!.Status!, body.Code, body.Detail, body.EvictedPods, body.DryRun ?? false));
        return ack switch
        {
            null => InvalidToken(),
            { Error: { } error } => Problems.Of(StatusCodes.Status404NotFound, error, "Not found.", $"No command {id} was issued to this cluster."),
            _ => TypedResults.Ok(new CommandResultResponse(ack.CommandId, ack.Status!)),
        };
    }

    public static async Task<IResult> ReportSafeMode(HttpRequest request, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (AgentCluster(request) is not ({ } clusterId, { } hash)) return MissingToken();
        var (body, problem) = await JsonBody.ReadAsync<SafeModeReport>(request, cancellationToken);
        if (problem is not null) return problem;
        var report = new AgentSafeModeReport(body!.State!, body.EnteredAt!.Value, body.Reason!, body.UnreachableSeconds ?? 0, body.Actions ?? []);
        return await grains.GetGrain<IClusterGrain>(clusterId).ReportSafeMode(hash, report) is null
            ? InvalidToken()
            : TypedResults.Ok(new SafeModeResponse(true));
    }

    /// <summary>The cluster the bearer token names and the token's hash; null without a well-formed agent token.</summary>
    private static (string ClusterId, string TokenHash)? AgentCluster(HttpRequest request) =>
        AgentToken(request) is { } token && AgentTokens.ClusterIdOf(token) is { } clusterId ? (clusterId, AgentTokens.HashOf(token)) : null;

    private static IResult MissingToken() => Problems.Unauthorized("invalid_agent_token", "Send the cluster's agent token as 'Authorization: Bearer soa_…'.");

    private static IResult InvalidToken() => Problems.Unauthorized("invalid_agent_token", "The agent token is not valid for this cluster (revoked or replaced).");

    public sealed record CommandResultRequest(string? Status, string? Code, string? Detail, int? EvictedPods, bool? DryRun) : IValidatable
    {
        public void Validate(ValidationErrors errors)
        {
            if (errors.Required("status", Status) && !AgentCommandStatus.Reported.Contains(Status))
                errors.Add("status", $"must be one of {string.Join(", ", AgentCommandStatus.Reported)}.");
            if (Code is { Length: > 64 }) errors.Add("code", "must be at most 64 characters.");
            if (Detail is { Length: > 2000 }) errors.Add("detail", "must be at most 2000 characters.");
            if (EvictedPods is < 0 or > 1_000_000) errors.Add("evicted_pods", "must be between 0 and 1000000.");
        }
    }

    public sealed record SafeModeReport(string? State, DateTimeOffset? EnteredAt, string? Reason, int? UnreachableSeconds, IReadOnlyList<string>? Actions) : IValidatable
    {
        private static readonly string[] States = [AgentSafeModeStates.Entered, AgentSafeModeStates.Left];

        public void Validate(ValidationErrors errors)
        {
            if (errors.Required("state", State) && !States.Contains(State)) errors.Add("state", $"must be one of {string.Join(", ", States)}.");
            if (EnteredAt is null) errors.Add("entered_at", "is required.");
            if (errors.Required("reason", Reason) && Reason!.Length > 64) errors.Add("reason", "must be at most 64 characters.");
            if (UnreachableSeconds is < 0) errors.Add("unreachable_seconds", "must not be negative.");
            if (Actions is { Count: > 100 } || Actions?.Any(a => a is null || a.Length > 200) == true)
                errors.Add("actions", "must be at most 100 strings of at most 200 characters.");
        }
    }

    public sealed record CommandsResponse(IReadOnlyList<AgentCommand> Commands);

    public sealed record CommandResultResponse(string Id, string Status);

    public sealed record SafeModeResponse(bool Acknowledged);
}

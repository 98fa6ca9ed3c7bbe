using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpotOptimizer.Cloud;
using Orleans;
using Orleans.Runtime;
using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Grains.Execution;

/// <summary>
/// CORE-EXEC: the only code that changes a customer's cloud. Every step carries an idempotency key: a key already
/// completed is not sent again (its recorded result is returned), and launches pass a client token derived from it,
/// so a retry or a restart between the cloud call and the record still never doubles a node. Under
/// <see cref="ExecutionScope.DryRun"/> every step is validated with the cloud's dry-run form, logged as
/// "[DRYRUN] would execute …" and audited, and nothing changes. Each step writes one line in the seed's format
/// <c>[TIMESTAMP] [COMPONENT-ID] [ACTION] [RESULT] [DURATION]</c> and one ledger entry <c>executor.&lt;step&gt;</c>.
/// </summary>
public sealed partial class CloudExecutor(
    ICloudProvider cloud,
    CloudActionLog log,
    AuditLedger ledger,
    IOptions<ExecutorOptions> options,
    SafeMode safeMode,
    TimeProvider time,
    AgentDrains agent,
    AgentJoins joins,
    ILogger<CloudExecutor> logger)
{
    public const string Component = "CORE-EXEC";

    /// <param name="nodegroup">
    /// The node group the new node belongs in (<see cref="LaunchNodegroup"/>): the launch uses its launch template (the
    /// group's own, else its Auto Scaling group's) and subnets, and the node is tagged with it (<see cref="OptimizerNodes.NodegroupTag"/>).
    /// AWS needs them: a group without a template fails the step with <see cref="CloudErrorCodes.InvalidRequest"/>. Null: launched as is.
    /// </param>
    public Task<ExecutedAction> LaunchAsync(ExecutionScope scope, string key, InstanceLifecycle lifecycle, string instanceType, string zone,
        IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken, string? nodegroup = null)
    {
        var step = lifecycle == InstanceLifecycle.Spot ? ExecutorSteps.LaunchSpot : ExecutorSteps.LaunchOnDemand;
        tags = new Dictionary<string, string>(tags, StringComparer.Ordinal) { [OptimizerNodes.LaunchTag] = key };
        if (nodegroup is not null) tags = new Dictionary<string, string>(tags, StringComparer.Ordinal) { [OptimizerNodes.NodegroupTag] = nodegroup };
        return RunAsync(scope, step, key, $"{instanceType} in {zone}", async dryRun =>
        {
            var request = new LaunchRequest(ClientToken(key), instanceType, zone, lifecycle, 1, tags, DryRun: dryRun);
            if (nodegroup is not null) request = await NodegroupLaunch.FromAsync(cloud, scope, nodegroup, request, cancellationToken);
            LaunchResult result;
            try
            {
                result = await cloud.Instances.RunInstancesAsync(scope.Session, scope.Region, request, cancellationToken);
            }
            catch (CloudException e) when (!dryRun && (e.Retryable || e.Code is CloudErrorCodes.Timeout or CloudErrorCodes.Unavailable))
            {
                // The launch may have reached EC2 and run before its answer was lost (retries spent, a timeout): without
                // this, a node would run that no step knows of, so nothing would ever drain or roll it back.
                if (await LaunchedEarlierAsync(scope, key, cancellationToken) is not { } found) throw;
                return new StepResult(found.InstanceId, $"{found.InstanceId} {instanceType} in {zone} (its answer was lost: {e.Code}; found by its launch tag)");
            }

            return dryRun ? new StepResult(null, $"{instanceType} in {zone}") : new StepResult(result.Instances[0].InstanceId, $"{result.Instances[0].InstanceId} {instanceType} in {zone}");
        }, cancellationToken);
    }

    /// <summary>
    /// Polls until the instance runs and, in a cluster whose agent reports, until the agent lists it as a Ready node
    /// (<see cref="AgentJoins"/>); fails with <see cref="CloudErrorCodes.Timeout"/> after the ready timeout.
    /// </summary>
    public Task<ExecutedAction> WaitReadyAsync(ExecutionScope scope, string key, string? instanceId, CancellationToken cancellationToken) =>
        RunAsync(scope, ExecutorSteps.WaitReady, key, instanceId ?? "the new node", async dryRun =>
        {
            if (dryRun || instanceId is null) return new StepResult(instanceId, $"{instanceId ?? "the new node"} ready");
            var deadline = time.GetUtcNow() + options.Value.ReadyTimeout;
            while (true)
            {
                var state = (await LaunchedAsync(scope, instanceId, cancellationToken))?.State;
                if (state is InstanceState.ShuttingDown or InstanceState.Terminated)
                    throw new CloudException(CloudErrorCodes.NotFound, $"{instanceId} went away while booting ({state}).");
                var join = state == InstanceState.Running ? await joins.ReadAsync(scope, instanceId) : null;
                if (state == InstanceState.Running && join is null) return new StepResult(instanceId, $"{instanceId} running");
                if (join is { Ready: true }) return new StepResult(instanceId, $"{instanceId} joined as node {join.NodeName}");
                if (time.GetUtcNow() >= deadline)
                {
                    throw new CloudException(CloudErrorCodes.Timeout, join is null
                        ? $"{instanceId} was not running after {options.Value.ReadyTimeout.TotalSeconds:0} s ({state?.ToString() ?? "not yet listed by EC2"})."
                        : $"{instanceId} runs but had not joined the cluster as a Ready node (the agent's inventory) after {options.Value.ReadyTimeout.TotalSeconds:0} s.");
                }

                await Task.Delay(options.Value.ReadyPoll, time, cancellationToken);
            }
        }, cancellationToken);

    /// <summary>The live instance a launch with this key tagged, if any: one listing of the region, on a failed launch only.</summary>
    private async Task<Ec2Instance?> LaunchedEarlierAsync(ExecutionScope scope, string key, CancellationToken cancellationToken)
    {
        var instances = await cloud.Ec2.DescribeInstancesAsync(scope.Session, scope.Region, cancellationToken);
        return instances.FirstOrDefault(i => i.State is InstanceState.Pending or InstanceState.Running
            && i.Tags.TryGetValue(OptimizerNodes.LaunchTag, out var tagged) && tagged == key);
    }

    /// <summary>
    /// The launched instance alone, not the whole region every poll. Null while EC2 does not list it yet: right after a
    /// launch EC2 may answer <c>InvalidInstanceID.NotFound</c> for a few seconds (eventual consistency), which is not the
    /// instance going away; a terminated instance stays listed, so a real loss shows as shutting-down or terminated.
    /// </summary>
    private async Task<Ec2Instance?> LaunchedAsync(ExecutionScope scope, string instanceId, CancellationToken cancellationToken)
    {
        try
        {
            var found = await cloud.Ec2.DescribeInstancesAsync(scope.Session, scope.Region, [instanceId], cancellationToken);
            return found.FirstOrDefault(i => i.InstanceId == instanceId);
        }
        catch (CloudException e) when (e.Code == CloudErrorCodes.NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// Cordons and evicts, retrying a PodDisruptionBudget refusal; never forces. A cluster whose agent polls for commands
    /// is drained by its agent (<see cref="AgentDrains"/>), any other by the cloud; a revoked agent token refuses the step.
    /// </summary>
    public Task<ExecutedAction> DrainAsync(ExecutionScope scope, string key, string instanceId, CancellationToken cancellationToken) =>
        RunAsync(scope, ExecutorSteps.DrainNode, key, instanceId, async dryRun =>
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    var result = await agent.TryDrainAsync(scope, key, attempt, instanceId, dryRun, cancellationToken)
                        ?? await cloud.Nodes.DrainAsync(scope.Session, scope.Region, scope.ClusterName, instanceId,
                            new DrainRequest(scope.ExcludedNamespaces, dryRun), cancellationToken);
                    return new StepResult(instanceId, $"{instanceId}: {result.PodsEvicted} pods evicted");
                }
                catch (CloudException e) when (e.Code == CloudErrorCodes.DisruptionBudget && attempt < options.Value.DrainAttempts)
                {
                    await Task.Delay(options.Value.DrainRetryDelay, time, cancellationToken);
                }
            }
        }, cancellationToken);

    /// <summary>Terminating is idempotent in EC2 itself: a terminated instance stays terminated.</summary>
    public Task<ExecutedAction> TerminateAsync(ExecutionScope scope, string key, string step, string instanceId, CancellationToken cancellationToken) =>
        RunAsync(scope, step, key, instanceId, async dryRun =>
        {
            var result = await cloud.Instances.TerminateInstancesAsync(scope.Session, scope.Region, [instanceId], dryRun, cancellationToken);
            var change = result.Changes.Count > 0 ? result.Changes[0] : null;
            return new StepResult(instanceId, $"{instanceId} {change?.Previous} → {change?.Current}");
        }, cancellationToken);

    /// <summary>Sets a node group's sizes to absolute values, so repeating the step cannot shrink it twice.</summary>
    public Task<ExecutedAction> ResizeNodegroupAsync(ExecutionScope scope, string key, string nodegroup, NodegroupScaling target, CancellationToken cancellationToken) =>
        RunAsync(scope, ExecutorSteps.ResizeNodegroup, key, $"{nodegroup} to min={target.MinSize} max={target.MaxSize} desired={target.DesiredSize}", async dryRun =>
        {
            await cloud.Eks.UpdateNodegroupScalingAsync(scope.Session, scope.Region, scope.ClusterName, nodegroup, target, dryRun, ClientToken(key), cancellationToken);
            return new StepResult(null, $"{nodegroup} desired {target.DesiredSize}");
        }, cancellationToken);

    /// <summary>EC2's client token allows 64 ASCII characters: the key's SHA-256 in hex is exactly that, and stable.</summary>
    public static string ClientToken(string idempotencyKey) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey)));

    private async Task<ExecutedAction> RunAsync(ExecutionScope scope, string step, string key, string what, Func<bool, Task<StepResult>> act,
        CancellationToken cancellationToken)
    {
        var resource = $"cluster:{scope.ClusterId}";
        if (await log.FindAsync(key, cancellationToken) is { } done)
        {
            var earlier = JsonSerializer.Deserialize<StepResult>(done.ResultJson, Json)!;
            return Write(scope, step, key, ExecutorResults.Replayed, $"done at {done.CompletedAt:O}: {earlier.Detail}", earlier.InstanceId, null, 0);
        }

        var watch = Stopwatch.StartNew();
        StepResult result;
        try
        {
            // SAFE_MODE switched on after the job began: the step is refused, not turned into a dry run behind the job's
            // back (its next steps would wait for a node that was never launched), and nothing is recorded as done, so
            // the job can act once SAFE_MODE is off again.
            if (!scope.DryRun && safeMode.IsOn) throw new CloudException(CloudErrorCodes.SafeMode, "SAFE_MODE is on.");
            result = await act(scope.DryRun);
        }
        catch (CloudException e)
        {
            // The provider's own words go to the log; the action log a customer reads says what happened in ours.
            LogStepRefused(logger, e, step, what, e.Code);
            var failed = Write(scope, step, key, ExecutorResults.Failed, $"{what}: {CloudErrorMessages.For(e.Code)}", null, e.Code, watch.Elapsed.TotalMilliseconds);
            await ledger.RecordAsync(scope.OrganizationId, scope.Actor, $"executor.{step}", resource, Details(failed, scope), cancellationToken);
            return failed;
        }

        var outcome = scope.DryRun ? ExecutorResults.DryRun : ExecutorResults.Ok;
        var detail = scope.DryRun ? $"would execute {step} {what}" : result.Detail;
        var action = Write(scope, step, key, outcome, detail, result.InstanceId, null, watch.Elapsed.TotalMilliseconds);
        await log.CompleteAsync(
            new CompletedCloudAction(key, scope.OrganizationId, resource, step, scope.DryRun, JsonSerializer.Serialize(result, Json), action.At),
            new LedgerDraft(scope.OrganizationId, scope.Actor, RequestContext.Get(AuditLedger.ImpersonatorKey) as string, $"executor.{step}", resource, null, Details(action, scope)),
            cancellationToken);
        return action;
    }

    private ExecutedAction Write(ExecutionScope scope, string step, string key, string result, string detail, string? instanceId, string? code, double ms)
    {
        var at = time.GetUtcNow();
        var prefix = result == ExecutorResults.DryRun ? "[DRYRUN] " : "";
        var line = $"[{Component}] [{step.ToUpperInvariant()}] [{result}] [{ms.ToString("0", CultureInfo.InvariantCulture)}ms] {prefix}{detail} (cluster {scope.ClusterName})";
        LogLine(logger, line);
        return new ExecutedAction(step, key, result, detail, instanceId, code, $"[{at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture)}] {line}", at, ms);
    }

    private static string Details(ExecutedAction action, ExecutionScope scope) => JsonSerializer.Serialize(new
    {
        step = action.Step, result = action.Result, detail = action.Detail, instance_id = action.InstanceId, error_code = action.ErrorCode,
        dry_run = scope.DryRun, idempotency_key = action.IdempotencyKey,
    }, Json);

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private sealed record StepResult(string? InstanceId, string Detail);

    [LoggerMessage(1, LogLevel.Information, "{Line}")]
    private static partial void LogLine(ILogger logger, string line);

    [LoggerMessage(2, LogLevel.Warning, "[{Component}] {Step} {What} refused by the cloud: {Code}")]
    private static partial void LogStepRefusedCore(ILogger logger, Exception exception, string component, string step, string what, string code);

    private static void LogStepRefused(ILogger logger, CloudException exception, string step, string what, string code) =>
        LogStepRefusedCore(logger, exception, Component, step, what, code);
}

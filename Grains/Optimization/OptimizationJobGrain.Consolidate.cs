using System.Text.Json;
using SpotOptimizer.Cloud;
using SpotOptimizer.Grains.Execution;
using SpotOptimizer.Grains.Interfaces.Clusters;
using SpotOptimizer.Grains.Interfaces.Governance;
using SpotOptimizer.Grains.Interfaces.Optimization;
using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Packing;
using SpotOptimizer.Optimization.Selection;
using PackingTemplate = SpotOptimizer.Optimization.Packing.NodeTemplate;

namespace SpotOptimizer.Grains.Optimization;

/// <summary>
/// MOD-PACK-01 in the job: consolidation is planned with the Spot replacements, on the agent's inventory (nodes the
/// replacements remove stay out of it), and runs after them, one action at a time through <see cref="CloudExecutor"/>:
/// launch the replacement → wait until it runs → drain each removed node (the drain cordons it; PDBs and excluded
/// namespaces honoured) → terminate it → shrink its node group's desired size (never its minimum: the plan keeps every group at or above it). A drain that fails before any node is removed rolls
/// the action back (the new node is terminated again). Empty nodes — first of all the ones we launched — are deleted
/// whatever else is worth doing. Keys are <c>{job}/pack/{n}/{step}</c>, so a resumed job never repeats a step.
/// </summary>
public sealed partial class OptimizationJobGrain
{
    /// <summary>
    /// Consolidation and the headroom top-up, both planned on the agent's inventory. Both null when the agent has not
    /// reported one: without pods, nothing can be packed (or measured) safely.
    /// </summary>
    private async Task<(ConsolidationPlanView? Packing, HeadroomPlanView? Headroom)> PlanConsolidationAsync(InventoryView? reported, OptimizationInputs inputs, IReadOnlyList<Ec2Instance> instances,
        MarketSnapshot market, IReadOnlySet<SpotPoolId> flagged, IReadOnlySet<string> beingReplaced, IReadOnlySet<string> covered)
    {
        if (reported is not { Inventory: { } inventory } view) return (null, null);
        if (time.GetUtcNow() - view.ReportedAt > optimizer.Value.InventoryMaxAge)
        {
            return (new ConsolidationPlanView(view.Version, view.ReportedAt, 0, 0, [], [],
                [$"The agent's inventory is older than {optimizer.Value.InventoryMaxAge.TotalMinutes:0} minutes; nothing is consolidated on it."]), null);
        }

        var template = await DefaultTemplateAsync(inputs.Policy) is { } t
            ? new PackingTemplate(t.Families.Count > 0 ? t.Families : null, t.Architectures.Count > 0 ? [.. t.Architectures.Select(ArchitectureOf)] : null, t.MinVcpu, t.MaxVcpu)
            : PackingTemplate.Any;
        var mapped = ConsolidationInputs.From(new ConsolidationSources(inventory, instances, market, flagged, template, inputs.Policy, inputs.PlacedByUs,
            beingReplaced, inputs.ClusterName, optimizer.Value.MinSavingsPercent, covered, inputs.Nodegroups, time.GetUtcNow(), optimizer.Value.ConsolidateAfter));
        var plan = Consolidator.Plan(mapped.Request);
        var nodes = mapped.Request.Nodes.ToDictionary(n => n.Name, StringComparer.Ordinal);
        var groups = instances.ToDictionary(i => i.InstanceId, i => i.NodegroupName, StringComparer.Ordinal);
        var packing = new ConsolidationPlanView(view.Version, view.ReportedAt, Math.Round(plan.HourlySaving, 4), Math.Round(plan.MonthlySaving, 2),
            [.. plan.Actions.Select(a => ActionView(a, nodes, mapped.NodesByName, groups))],
            [.. plan.Skipped.Select(s => new SkippedConsolidationView(s.Node, mapped.NodesByName.GetValueOrDefault(s.Node)?.InstanceId, s.Code, s.Detail))],
            mapped.Notes);
        return (packing, PlanHeadroom(inputs, mapped, inventory, instances, market, template));
    }

    /// <summary>Runs every consolidation action still pending; false when the job was stopped on the way.</summary>
    private async Task<bool> ConsolidateAsync(ExecutionScope scope, IClusterGrain cluster, Dictionary<string, DateTimeOffset> placed, ClusterNodegroups groups)
    {
        var count = S.Plan!.Consolidation?.Actions.Count ?? 0;
        for (var i = 0; i < count; i++)
        {
            if (S.Plan.Consolidation!.Actions[i].Outcome != ConsolidationOutcomes.Pending) continue;
            if (await StoppedAsync()) return false;
            await RunConsolidationAsync(scope, i, S.Plan.Consolidation.Actions[i], placed, groups);
            await cluster.RenewOptimization(JobId);
        }

        return true;
    }

    private async Task RunConsolidationAsync(ExecutionScope scope, int index, ConsolidationActionView action, Dictionary<string, DateTimeOffset> placed,
        ClusterNodegroups groups)
    {
        var key = $"{JobId}/pack/{index}";
        ExecutedAction? launch = null;
        if (action.Replacement is { } replacement)
        {
            var lifecycle = replacement.Purchase == "spot" ? InstanceLifecycle.Spot : InstanceLifecycle.OnDemand;
            var tags = OptimizerNodes.Tags(scope.ClusterName, "consolidation", new Dictionary<string, string> { [OptimizerNodes.JobTag] = JobId });
            // The packed nodes' node group (the first that has one; else the cluster's that runs most nodes in the zone)
            // lends the new node its launch template and subnets.
            var nodegroup = groups.For(replacement.Zone, action.Nodes.Select(n => n.Nodegroup));
            launch = await PackStepAsync(index, executor.LaunchAsync(scope, $"{key}/launch", lifecycle, replacement.InstanceType, replacement.Zone, tags,
                Stopping, nodegroup));
            if (!launch.Succeeded)
            {
                await PackOutcomeAsync(index, ConsolidationOutcomes.Failed, null);
                return;
            }

            var ready = await PackStepAsync(index, executor.WaitReadyAsync(scope, $"{key}/ready", launch.InstanceId, Stopping));
            if (!ready.Succeeded)
            {
                await RollBackAsync(scope, index, key, launch);
                return;
            }
        }

        var removed = 0;
        var failed = false;
        foreach (var node in action.Nodes)
        {
            var drained = await PackStepAsync(index, executor.DrainAsync(scope, $"{key}/drain/{node.InstanceId}", node.InstanceId, Stopping));
            if (!drained.Succeeded && removed == 0)
            {
                // Nothing was removed yet: every pod is where it was, and the new node would only add cost.
                await RollBackAsync(scope, index, key, launch);
                return;
            }

            // A later node that cannot drain stays; the pods already moved may be on the new node, so it stays too.
            var terminated = drained.Succeeded
                ? await PackStepAsync(index, executor.TerminateAsync(scope, $"{key}/terminate/{node.InstanceId}", ExecutorSteps.TerminateNode, node.InstanceId, Stopping))
                : drained;
            if (!terminated.Succeeded)
            {
                failed = true;
                break;
            }

            removed++;
            if (node.Nodegroup is { } group && await ShrunkSizeAsync(scope, group, node.InstanceId, keepMinimum: true) is { } target)
                await PackStepAsync(index, executor.ResizeNodegroupAsync(scope, $"{key}/resize/{node.InstanceId}", group, target, Stopping));
        }

        if (!scope.DryRun && launch?.InstanceId is { } id) placed[id] = launch.At;
        if (!scope.DryRun && removed > 0) await RecordConsolidatedAsync(action, action.Nodes.Take(removed), launch?.InstanceId);
        await PackOutcomeAsync(index, failed ? ConsolidationOutcomes.Failed : scope.DryRun ? ConsolidationOutcomes.DryRun : ConsolidationOutcomes.Consolidated,
            launch?.InstanceId);
    }

    /// <summary>
    /// What the KPIs' realised savings read (<c>nodes.consolidated</c>): the nodes really removed, at the prices the plan
    /// used, and the node launched for them. Written before the outcome, so a resumed job may write it twice; readers
    /// key it on job and instance ids.
    /// </summary>
    private Task RecordConsolidatedAsync(ConsolidationActionView action, IEnumerable<ConsolidatedNodeView> removed, string? launchedInstanceId) =>
        ledger.RecordAsync(S.OrganizationId!, S.Actor, "nodes.consolidated", Resource, JsonSerializer.Serialize(new
        {
            job_id = JobId, kind = action.Kind,
            removed = removed.Select(n => new { instance_id = n.InstanceId, instance_type = n.InstanceType, zone = n.Zone, purchase = n.Purchase, price_per_hour = n.PricePerHour }),
            launched_instance_id = launchedInstanceId, launched_instance_type = action.Replacement?.InstanceType,
            launched_price_per_hour = action.Replacement?.PricePerHour ?? 0,
        }, Json), CancellationToken.None);

    private async Task RollBackAsync(ExecutionScope scope, int index, string key, ExecutedAction? launch)
    {
        var rolledBack = launch?.InstanceId is { } launched
            && (await PackStepAsync(index, executor.TerminateAsync(scope, $"{key}/rollback", ExecutorSteps.TerminateLaunched, launched, Stopping))).Succeeded;
        // A rollback that could not terminate the new node is a failure: the node still runs (and costs) until someone acts.
        await PackOutcomeAsync(index, rolledBack ? ConsolidationOutcomes.RolledBack : ConsolidationOutcomes.Failed, launch?.InstanceId);
    }

    private Task<ExecutedAction> PackStepAsync(int index, Task<ExecutedAction> step) => StepAsync(index, step, "pack ");

    private Task PackOutcomeAsync(int index, string outcome, string? newInstanceId)
    {
        var consolidation = S.Plan!.Consolidation!;
        var actions = consolidation.Actions.ToList();
        actions[index] = actions[index] with { Outcome = outcome, NewInstanceId = newInstanceId };
        S.Plan = S.Plan with { Consolidation = consolidation with { Actions = actions } };
        return SaveAsync(S.Stage);
    }

    private async Task<Interfaces.Governance.NodeTemplate?> DefaultTemplateAsync(ClusterPolicy policy)
    {
        if (policy.TemplateId is not { } templateId) return null;
        var templates = await GrainFactory.GetGrain<ITemplateCatalogGrain>(S.OrganizationId!).List();
        return templates.FirstOrDefault(t => t.Id == templateId);
    }

    /// <summary>Replacements and consolidation planned, per month (730 h).</summary>
    private static double MonthlySaving(JobPlanView plan) => Math.Round(plan.HourlySaving * 730 + (plan.Consolidation?.MonthlySaving ?? 0), 2);

    /// <summary>What the actions that went through save per month (those a dry run validated, in a dry run).</summary>
    private static double MonthlySavingDone(JobPlanView plan) => Math.Round(
        plan.Replacements.Where(r => r.Outcome is ReplacementOutcomes.Replaced or ReplacementOutcomes.DryRun).Sum(r => r.CurrentPricePerHour - r.TargetPricePerHour) * 730
        + (plan.Consolidation?.Actions ?? []).Where(a => a.Outcome is ConsolidationOutcomes.Consolidated or ConsolidationOutcomes.DryRun).Sum(a => a.MonthlySaving), 2);

    private static CpuArchitecture ArchitectureOf(string name) => name == "arm64" ? CpuArchitecture.Arm64 : CpuArchitecture.Amd64;

    private static ConsolidationActionView ActionView(ConsolidationAction action, Dictionary<string, ExistingNode> nodes,
        IReadOnlyDictionary<string, InventoryNode> inventory, Dictionary<string, string?> groups) => new(
        action.Kind switch { ConsolidationKind.DeleteEmpty => "delete_empty", ConsolidationKind.MultiNode => "multi_node", _ => "single_node" },
        [.. action.RemovedNodes.Select(name =>
        {
            var (node, known) = (nodes[name], inventory[name]);
            return new ConsolidatedNodeView(name, known.InstanceId, node.InstanceType, node.Labels.Zone, Purchase(node.Labels.Capacity),
                groups.GetValueOrDefault(known.InstanceId), Math.Round(node.HourlyPrice, 4), node.Pods.Count);
        })],
        action.Replacement is { } offer ? new ReplacementNodeView(offer.Type.Name, offer.Zone, Purchase(offer.Capacity), Math.Round(offer.HourlyPrice, 4)) : null,
        action.Moves.Count,
        [.. action.Steps.Select(s => new PlannedStepView(s.Kind.ToString().ToLowerInvariant(), s.Node, s.Evictions.Count))],
        Math.Round(action.HourlySaving, 4), Math.Round(action.MonthlySaving, 2), ConsolidationOutcomes.Pending, null);
}

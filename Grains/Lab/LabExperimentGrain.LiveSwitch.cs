using Orleans;
using Orleans.Runtime;
using SpotOptimizer.Cloud;
using SpotOptimizer.Grains.Execution;
using SpotOptimizer.Grains.Interfaces.Lab;
using SpotOptimizer.Grains.Market;
using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Lab;
using SpotOptimizer.Optimization.Risk;
using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Grains.Lab;

/// <summary>
/// The live switch (Flow 3's physical test): the experiment's model picks the Spot pool in the node's own zone (its EBS
/// volumes cannot leave it), the plan is saved, and <see cref="LiveSwitch"/> runs stop → detach → launch Spot → boot
/// → reattach through the executor, rolling back on failure; each step goes to the series of steps and the Lab feed.
/// Its one arm (<c>switch</c>) shows the node before and after, with the prices and boot time.
/// </summary>
public sealed partial class LabExperimentGrain
{
    public const string SwitchArm = "switch";

    public async Task<ExperimentView> StartLiveSwitch(LiveSwitchStart start)
    {
        if (S.Kind is not null) return _view!;
        await BeginAsync(ExperimentKinds.LiveSwitch, start.OrganizationId, start.Actor, start.ClusterId,
            [new ArmState { Arm = SwitchArm, ModelId = start.ModelId, OriginalInstanceId = start.InstanceId, OriginalType = start.InstanceType, CurrentInstanceId = start.InstanceId }],
            new { instance_id = start.InstanceId, model_id = start.ModelId });
        this.RegisterGrainTimer(_ => RunLiveSwitchAsync(), TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        return _view!;
    }

    private async Task RunLiveSwitchAsync()
    {
        if (S.Kind != ExperimentKinds.LiveSwitch || ExperimentStatus.IsFinished(S.Status)) return;
        try
        {
            await SwitchAsync();
        }
        catch (CloudException exception)
        {
            LogSwitchFailed(logger, exception, Id, exception.Code);
            await FinishAsync(ExperimentStatus.Failed, $"{exception.Code}: {exception.Message}");
        }
    }

    private async Task SwitchAsync()
    {
        var arm = S.Arms[0];
        if (await ScopeAsync() is not { } scope)
        {
            await FinishAsync(ExperimentStatus.Failed, "The cluster is no longer managed, or its AWS account is not linked (or no longer the organization's).");
            return;
        }

        if (S.SwitchPlan is null)
        {
            var quoted = await GrainFactory.MarketSnapshotAsync(scope.Region);
            var translation = quoted is null ? ZoneTranslation.Identity : await GrainFactory.ZoneTranslationAsync(cloud, scope, quoted);
            var market = quoted is null ? null : translation.ToTenant(quoted);
            var zone = (await cloud.Ec2.DescribeInstancesAsync(scope.Session, scope.Region, CancellationToken.None))
                .FirstOrDefault(i => i.InstanceId == arm.OriginalInstanceId)?.AvailabilityZone;
            var original = market?.OnDemand.FirstOrDefault(o => o.Type.Name == arm.OriginalType);
            if (market is null || zone is null || original is null)
            {
                await FinishAsync(ExperimentStatus.Failed, market is null ? $"No Spot market data for {scope.Region} yet."
                    : zone is null ? $"{arm.OriginalInstanceId} is gone." : $"No On-Demand price for {arm.OriginalType} in {scope.Region}.");
                return;
            }

            var reference = RiskReferenceData.Of(market);
            var risk = await AssessorForAsync(arm.ModelId, reference);
            var choice = ArmDecision.Choose(original.Type, [zone], market, translation.ToTenant(await FlaggedAsync(scope.Region)), risk, time.GetUtcNow());
            if (choice is null)
            {
                await FinishAsync(ExperimentStatus.Failed, $"The model {arm.ModelId} accepts no Spot pool in {zone} for a {arm.OriginalType}.");
                return;
            }

            var planning = await liveSwitch.PlanAsync(scope, Id, arm.OriginalInstanceId, choice.Pool.InstanceType, zone, CancellationToken.None);
            if (planning.Plan is null)
            {
                await FinishAsync(ExperimentStatus.Failed, $"{planning.Refusal}: {planning.Reason}");
                return;
            }

            (arm.OnDemandHourlyPrice, arm.HourlyPrice, arm.ModelVersion) = (original.PricePerHour, original.PricePerHour, choice.ModelVersion);
            (arm.Zone, arm.InstanceType) = (null, null);
            S.SwitchPlan = planning.Plan;
            S.SwitchSpotPrice = choice.HourlyPrice;
            S.DryRun = scope.DryRun;
            AddPoint(arm, "planned", null, choice.Risk, $"{choice.Pool} at {choice.HourlyPrice:0.0000}/h with {planning.Plan.Volumes.Count} volume(s)");
            await SaveAsync();
        }

        var plan = S.SwitchPlan;
        var result = await liveSwitch.RunAsync(scope, plan, async step =>
        {
            AddStep(new SwitchStepView(++S.Seq, step.Name, step.Status, step.StartedAt, step.DurationMs, step.Detail, step.ErrorCode));
            await SaveAsync();
        }, CancellationToken.None);

        if (result.Outcome == LiveSwitchOutcomes.Failed)
        {
            await FinishAsync(ExperimentStatus.Failed, $"{result.FailedStep} failed ({result.ErrorCode}); " + result.RolledBack switch
            {
                true => "every change was rolled back.",
                false => "the rollback did not complete: check the steps.",
                null => "nothing had changed.",
            });
            return;
        }

        (arm.Zone, arm.InstanceType, arm.HourlyPrice) = (plan.AvailabilityZone, plan.SpotInstanceType, S.SwitchSpotPrice ?? arm.HourlyPrice);
        if (result.SpotInstanceId is { } spot)
        {
            arm.CurrentInstanceId = spot;
            arm.Launched.Add(spot);
        }

        if (result.BootTimeMs is { } boot) arm.BootSeconds.Add(boot / 1000);
        arm.Moves++;
        AddPoint(arm, result.Outcome == LiveSwitchOutcomes.DryRun ? "would_move" : "moved", result.BootTimeMs / 1000, null,
            $"{plan.InstanceId} → {result.SpotInstanceId ?? "(dry run)"} in {plan.AvailabilityZone}/{plan.SpotInstanceType}");
        await FinishAsync(ExperimentStatus.Completed);
    }

    [Microsoft.Extensions.Logging.LoggerMessage(2, Microsoft.Extensions.Logging.LogLevel.Warning, "Lab live switch {ExperimentId} failed with {Code}")]
    private static partial void LogSwitchFailed(Microsoft.Extensions.Logging.ILogger logger, Exception exception, string experimentId, string code);
}

namespace SpotOptimizer.Runtime.Activation;

/// <summary>First message of every activation: construct the grain, load its state, run OnActivateAsync.</summary>
internal sealed class ActivateMessage(GrainId target) : Message(target)
{
    public override async Task RunAsync(ActivationData activation)
    {
        try
        {
            using var timeout = new CancellationTokenSource(activation.Runtime.Options.CallTimeout, activation.Runtime.Time);
            var grain = await activation.Runtime.Activator.CreateAsync(activation, timeout.Token);
            await grain.OnActivateAsync(timeout.Token);
            activation.CompleteActivation(grain);
        }
        catch (Exception exception)
        {
            activation.FailActivation(exception);
        }
    }

    public override void Fail(Exception exception) { }

    public override void Reroute(GrainRuntime runtime) { }
}

/// <summary>Last message of an activation: stop its timers, run OnDeactivateAsync, leave the catalog.</summary>
internal sealed class DeactivateMessage(GrainId target, DeactivationReason reason) : Message(target)
{
    public override bool CountsAsActivity => false;

    public override async Task RunAsync(ActivationData activation)
    {
        if (!activation.BeginDeactivation()) return;
        try
        {
            using var timeout = new CancellationTokenSource(activation.Runtime.Options.DeactivationTimeout, activation.Runtime.Time);
            await activation.Grain.OnDeactivateAsync(reason, timeout.Token);
        }
        catch (Exception exception)
        {
            Log.DeactivationFailed(activation.Runtime.Logger, exception, activation.GrainId.ToString());
        }
        finally
        {
            activation.CompleteDeactivation(reason);
        }
    }

    public override void Fail(Exception exception) { }

    public override void Reroute(GrainRuntime runtime) { }
}

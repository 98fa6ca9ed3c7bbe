namespace SpotOptimizer.Cloud;

/// <summary>
/// What StopInstances and StartInstances do to an instance in each state, as EC2 documents it. The simulator acts on
/// these rules; the AWS provider answers dry runs with them, as EC2's own dry run says only whether the call is allowed.
/// </summary>
public static class InstanceTransitions
{
    /// <summary>Running → stopping; stopping and stopped stay; any other state is refused (<c>IncorrectInstanceState</c>).</summary>
    public static InstanceStateChange Stop(Ec2Instance instance) => instance.State switch
    {
        InstanceState.Running => new(instance.InstanceId, instance.State, InstanceState.Stopping),
        InstanceState.Stopping or InstanceState.Stopped => new(instance.InstanceId, instance.State, instance.State),
        _ => throw Incorrect(instance, "stopped"),
    };

    /// <summary>Stopped → pending; pending and running stay; any other state is refused (<c>IncorrectInstanceState</c>).</summary>
    public static InstanceStateChange Start(Ec2Instance instance) => instance.State switch
    {
        InstanceState.Stopped => new(instance.InstanceId, instance.State, InstanceState.Pending),
        InstanceState.Pending or InstanceState.Running => new(instance.InstanceId, instance.State, instance.State),
        _ => throw Incorrect(instance, "started"),
    };

    private static CloudException Incorrect(Ec2Instance instance, string verb) =>
        new(CloudErrorCodes.InvalidRequest, $"The instance '{instance.InstanceId}' is {instance.State}, not in a state from which it can be {verb}.")
        {
            ProviderCode = "IncorrectInstanceState",
        };
}

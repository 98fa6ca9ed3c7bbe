using Amazon.EC2.Model;

namespace SpotOptimizer.Cloud.Aws;

/// <summary>
/// AWSSDK.EC2's answers in our records. The SDK leaves absent lists null (its v4 default), so every list is read as
/// possibly missing; an answer without the field we key on is malformed.
/// </summary>
internal static class Ec2Model
{
    public static Ec2Instance Instance(Instance item, string operation)
    {
        var tags = (item.Tags ?? [])
            .Where(t => t.Key is not null)
            .GroupBy(t => t.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last().Value ?? "", StringComparer.Ordinal);
        return new Ec2Instance(
            item.InstanceId is { Length: > 0 } id ? id : throw Malformed(operation, "an instance without instanceId"),
            item.InstanceType?.Value ?? "",
            item.Placement?.AvailabilityZone ?? "",
            item.InstanceLifecycle?.Value == "spot" ? InstanceLifecycle.Spot : InstanceLifecycle.OnDemand,
            State(item.State?.Name?.Value, operation),
            Utc(item.LaunchTime) ?? default,
            item.PrivateDnsName ?? "",
            tags)
        {
            RootDeviceName = item.RootDeviceName,
        };
    }

    public static InstanceState State(string? name, string operation) => name switch
    {
        "pending" => InstanceState.Pending,
        "running" => InstanceState.Running,
        "shutting-down" => InstanceState.ShuttingDown,
        "terminated" => InstanceState.Terminated,
        "stopping" => InstanceState.Stopping,
        "stopped" => InstanceState.Stopped,
        _ => throw Malformed(operation, $"unknown instance state '{name}'"),
    };

    public static IReadOnlyList<Cloud.InstanceStateChange> StateChanges(IEnumerable<Amazon.EC2.Model.InstanceStateChange>? changes, string operation) =>
        (changes ?? []).Select(c => new Cloud.InstanceStateChange(
                c.InstanceId ?? throw Malformed(operation, "a change without instanceId"),
                State(c.PreviousState?.Name?.Value, operation),
                State(c.CurrentState?.Name?.Value, operation)))
            .ToList();

    public static Cloud.SpotPlacementScore PlacementScore(Amazon.EC2.Model.SpotPlacementScore item) => new(
        item.AvailabilityZoneId ?? throw Malformed(CloudActions.GetSpotPlacementScores, "a score without availabilityZoneId (asked per zone)"),
        item.Score is >= 1 and <= 10 ? item.Score.Value : throw Malformed(CloudActions.GetSpotPlacementScores, $"score '{item.Score}'"));

    public static Cloud.VolumeAttachment Attachment(string? volumeId, string? instanceId, string? device, string? state, string operation) => new(
        volumeId ?? throw Malformed(operation, "an attachment without volumeId"),
        instanceId ?? "",
        device ?? "",
        state switch
        {
            "attaching" => VolumeAttachmentState.Attaching,
            "attached" => VolumeAttachmentState.Attached,
            "detaching" => VolumeAttachmentState.Detaching,
            "detached" => VolumeAttachmentState.Detached,
            var other => throw Malformed(operation, $"unknown attachment status '{other}'"),
        });

    /// <summary>The SDK reads AWS's ISO-8601 UTC times into a <see cref="DateTime"/> whose kind varies; AWS always means UTC.</summary>
    public static DateTimeOffset? Utc(DateTime? value) => value switch
    {
        null => null,
        { Kind: DateTimeKind.Local } local => new DateTimeOffset(local.ToUniversalTime(), TimeSpan.Zero),
        { } other => new DateTimeOffset(DateTime.SpecifyKind(other, DateTimeKind.Utc), TimeSpan.Zero),
    };

    public static CloudException Malformed(string operation, string detail) =>
        new(CloudErrorCodes.CloudError, $"Unreadable {operation} response: {detail}.") { Operation = operation };
}

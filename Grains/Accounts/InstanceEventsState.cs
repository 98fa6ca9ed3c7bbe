using Orleans;
using SpotOptimizer.Grains.Interfaces.Accounts;

namespace SpotOptimizer.Grains.Accounts;

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed class InstanceEventsState
{
    public InstanceEventsSubscription? Subscription { get; set; }

    public bool Polling { get; set; }

    public DateTimeOffset? LastPollAt { get; set; }

    public string? ErrorCode { get; set; }

    /// <summary>EventBridge ids of the events handled lately, oldest first: a redelivered message is recognised by its event id.</summary>
    public List<string> SeenEventIds { get; set; } = [];

    /// <summary>Instances warned of lately → their pool key, so a later state change can corroborate the warning.</summary>
    public Dictionary<string, string> Warned { get; set; } = new(StringComparer.Ordinal);

    public int Received { get; set; }

    public int Reported { get; set; }

    public int Duplicates { get; set; }

    public int Corroborated { get; set; }

    public int Ignored { get; set; }

    public int Malformed { get; set; }
}

using Orleans;
using SpotOptimizer.Grains.Interfaces.Accounts;

namespace SpotOptimizer.Grains.Accounts;

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed class AccountState
{
    public string? OrganizationId { get; set; }

    public string Status { get; set; } = AccountStatus.Pending;

    /// <summary>The External ID the customer's role must require; a fresh one per link attempt.</summary>
    public string? ExternalId { get; set; }

    public string? AwsAccountId { get; set; }

    public string? RoleArn { get; set; }

    public string? ErrorCode { get; set; }

    public string? ErrorMessage { get; set; }

    public DateTimeOffset? LastDiscoveryAt { get; set; }

    public List<KnownCluster> Clusters { get; set; } = [];

    public List<string> InstanceIds { get; set; } = [];

    /// <summary>Interruption notices up to here were handed to the hive mind.</summary>
    public DateTimeOffset? NoticesReadAt { get; set; }
}

[GenerateSerializer, Immutable]
public sealed record KnownCluster(string ClusterId, string Name, string Region, string Version, string Status, int NodeCount);

using Orleans;
using Orleans.Concurrency;

namespace SpotOptimizer.Grains.Interfaces.Accounts;

/// <summary>
/// One linked (or linking) AWS account, keyed by our account id. Holds the link state machine
/// (pending → verifying → scanning → active / failed) and runs discovery every five minutes once verified.
/// Every method takes the caller's organization: another organization's account answers as if it did not exist.
/// </summary>
public interface IAccountGrain : IGrainWithStringKey
{
    /// <summary>Issues a fresh External ID for the customer's CloudFormation stack.</summary>
    Task<LinkIssued> BeginLink(string organizationId, string actor);

    /// <summary>Assumes the role with the issued External ID, checks permissions and, on success, starts discovery.</summary>
    Task<AccountView?> Verify(VerifyLink request);

    Task<AccountView?> Get(string organizationId);

    /// <summary>EKS clusters found by discovery (managed or not).</summary>
    Task<IReadOnlyList<DiscoveredCluster>?> GetDiscoveredClusters(string organizationId);

    /// <summary>
    /// The role to act in the account with; null when the account is not the organization's or not linked. Always
    /// interleaves: jobs and loops ask for it while the account may be mid-discovery calling their cluster grains.
    /// </summary>
    [AlwaysInterleave]
    Task<CloudAccess?> GetCloudAccess(string organizationId);

    /// <summary>
    /// Unlinks the account: releases every cluster discovery found in it (unmanaging the managed ones), stops the
    /// discovery loop, forgets the role ARN and External ID (a new link issues a new one), removes the account slot
    /// and records <c>account.unlinked</c>. Null when the account is not the organization's.
    /// </summary>
    Task<AccountUnlinked?> Unlink(string organizationId, string actor);

    /// <summary>Runs one discovery pass now (the reminder does this every five minutes).</summary>
    Task<DiscoverySummary> Discover();
}

public static class AccountStatus
{
    public const string Pending = "pending";
    public const string Verifying = "verifying";
    public const string Scanning = "scanning";
    public const string Active = "active";
    public const string Failed = "failed";
}

/// <summary>What to assume to act in the account.</summary>
[GenerateSerializer, Immutable]
public sealed record CloudAccess(string AwsAccountId, string RoleArn, string ExternalId, string SessionName);

/// <param name="UnmanagedClusters">Clusters that were managed and no longer are.</param>
[GenerateSerializer, Immutable]
public sealed record AccountUnlinked(string AccountId, string? AwsAccountId, IReadOnlyList<string> UnmanagedClusters);

[GenerateSerializer, Immutable]
public sealed record LinkIssued(string AccountId, string ExternalId);

[GenerateSerializer, Immutable]
public sealed record VerifyLink(string OrganizationId, string Actor, string AwsAccountId, string RoleArn);

[GenerateSerializer, Immutable]
public sealed record AccountView(
    string AccountId,
    string OrganizationId,
    string Status,
    string? AwsAccountId,
    string? RoleArn,
    string? ErrorCode,
    string? ErrorMessage,
    DateTimeOffset? LastDiscoveryAt,
    int ClustersFound,
    int InstancesFound);

[GenerateSerializer, Immutable]
public sealed record DiscoveredCluster(string ClusterId, string Name, string Region, string Version, string Status, int NodeCount, bool Managed);

[GenerateSerializer, Immutable]
public sealed record DiscoverySummary(
    int ClustersFound,
    int InstancesFound,
    IReadOnlyList<string> ClustersAdded,
    IReadOnlyList<string> ClustersRemoved,
    int InstancesAdded,
    int InstancesRemoved);

/// <summary>Published on the organization's onboarding stream while discovery runs.</summary>
[GenerateSerializer, Immutable]
public sealed record DiscoveryProgress(string AccountId, int Progress, int ClustersFound, string Stage);

namespace SpotOptimizer.Tenancy;

public static class Roles
{
    public const string Client = "client";
    public const string SuperAdmin = "super_admin";
}

/// <summary>What a user may do inside their organization (the <c>org_role</c> claim); <see cref="Roles"/> stays the platform role.</summary>
public static class OrganizationRoles
{
    /// <summary>Everything, including team management; every organization keeps at least one.</summary>
    public const string Owner = "owner";

    /// <summary>Everything but team management and other owner-only actions.</summary>
    public const string Member = "member";

    /// <summary>Reads, and their own session (refresh, logout, change password).</summary>
    public const string ReadOnly = "read_only";

    public static readonly IReadOnlyList<string> All = [Owner, Member, ReadOnly];

    public static bool IsKnown(string? role) => role is Owner or Member or ReadOnly;
}

public sealed record Organization(string Id, string Name, DateTimeOffset CreatedAt);

public sealed record User(string Id, string OrganizationId, string Email, string PasswordHash, string Role, DateTimeOffset CreatedAt, string OrgRole);

/// <summary>An AWS account slot of an organization; <see cref="AwsAccountId"/> is null until the link is verified.</summary>
public sealed record AccountRecord(string Id, string OrganizationId, string? AwsAccountId, DateTimeOffset CreatedAt);

/// <summary>The result of signing up: everything was created in one transaction.</summary>
public sealed record SignupResult(Organization Organization, User User, AccountRecord PlaceholderAccount);

/// <summary>What a caller asks the ledger to record.</summary>
/// <param name="Before">The resource's state before the change (JSON), when it had one.</param>
/// <param name="After">Its state, or the action's details, after the change (JSON).</param>
public sealed record LedgerDraft(
    string OrganizationId, string Actor, string? Impersonator, string Action, string Resource, string? Before, string? After);

/// <summary>One entry of an organization's audit ledger; the activity feed is its newest entries.</summary>
public sealed record LedgerEntry(
    long Id,
    string OrganizationId,
    long Seq,
    string Actor,
    string? Impersonator,
    string Action,
    string Resource,
    string? Before,
    string? After,
    DateTimeOffset OccurredAt,
    string PrevHash,
    string Hash);

/// <summary>A uniqueness rule refused the change; nothing was written.</summary>
public sealed class DuplicateException(string what) : Exception($"{what} already exists.")
{
    public string What { get; } = what;
}

namespace SpotOptimizer.Tenancy;

public static class Roles
{
    public const string Client = "client";
    public const string SuperAdmin = "super_admin";
}

public sealed record Organization(string Id, string Name, DateTimeOffset CreatedAt);

public sealed record User(string Id, string OrganizationId, string Email, string PasswordHash, string Role, DateTimeOffset CreatedAt);

/// <summary>An AWS account slot of an organization; <see cref="AwsAccountId"/> is null until the link is verified.</summary>
public sealed record AccountRecord(string Id, string OrganizationId, string? AwsAccountId, DateTimeOffset CreatedAt);

/// <summary>The result of signing up: everything was created in one transaction.</summary>
public sealed record SignupResult(Organization Organization, User User, AccountRecord PlaceholderAccount);

/// <summary>Something that happened in an organization, for the activity feed (the audit ledger grows from it).</summary>
public sealed record ActivityEvent(
    long Id,
    string OrganizationId,
    string Actor,
    string Action,
    string Resource,
    string? Details,
    DateTimeOffset OccurredAt);

/// <summary>A uniqueness rule refused the change; nothing was written.</summary>
public sealed class DuplicateException(string what) : Exception($"{what} already exists.")
{
    public string What { get; } = what;
}

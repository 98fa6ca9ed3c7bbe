namespace SpotOptimizer.Tenancy;

/// <summary>
/// Announces committed ledger entries on the organization's live activity feed. The actor runtime implements it
/// (Tenancy does not depend on it); a failed announcement never undoes the entry, which is already committed.
/// </summary>
public interface IActivityPublisher
{
    Task PublishAsync(LedgerEntry entry);
}

/// <summary>Who is calling, as the runtime's call context knows it: the super admin acting on a tenant's behalf, if any.</summary>
public interface ICallerContext
{
    string? Impersonator { get; }
}

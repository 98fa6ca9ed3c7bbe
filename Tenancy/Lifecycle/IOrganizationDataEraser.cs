using System.Data.Common;

namespace SpotOptimizer.Tenancy.Lifecycle;

/// <summary>
/// A module's part of deleting an organization: its own tables' rows of that organization, removed inside the
/// erasure's transaction (so the organization is erased whole or not at all). Modules register one each; Tenancy
/// does not know their tables.
/// </summary>
public interface IOrganizationDataEraser
{
    Task EraseAsync(DbConnection connection, DbTransaction transaction, string organizationId, CancellationToken cancellationToken);
}

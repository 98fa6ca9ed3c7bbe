namespace SpotOptimizer.Cloud;

public interface ICloudPermissions
{
    /// <summary>
    /// Checks every action of <see cref="RequiredPermissions.Actions"/> for the session's role, in one region.
    /// Actions that cannot be probed without side effects come back <see cref="PermissionStatus.Unverified"/>.
    /// </summary>
    Task<PermissionReport> CheckAsync(CloudSession session, string region, CancellationToken cancellationToken = default);
}

public enum PermissionStatus
{
    Granted,
    Missing,

    /// <summary>The provider could not tell without acting (e.g. a write with no dry-run mode); not a guess either way.</summary>
    Unverified,
}

public sealed record PermissionCheck(string Action, PermissionStatus Status, string? Detail = null);

public sealed record PermissionReport(IReadOnlyList<PermissionCheck> Checks)
{
    public IEnumerable<string> Missing => Checks.Where(c => c.Status == PermissionStatus.Missing).Select(c => c.Action);

    public IEnumerable<string> Unverified => Checks.Where(c => c.Status == PermissionStatus.Unverified).Select(c => c.Action);

    /// <summary>The <c>missing_permission:&lt;action&gt;</c> codes, in <see cref="RequiredPermissions.Actions"/> order.</summary>
    public IReadOnlyList<string> MissingCodes => Missing.Select(CloudErrorCodes.MissingPermission).ToList();

    public bool AllGranted => Checks.All(c => c.Status == PermissionStatus.Granted);

    public bool NoneMissing => Checks.All(c => c.Status != PermissionStatus.Missing);
}

using System.Collections.Concurrent;
using SpotOptimizer.Cloud;

namespace SpotOptimizer.Grains.Execution;

/// <summary>
/// Assumed-role sessions shared by the grains that act in an account (optimization jobs, hibernation), so a job
/// does not assume the role again for every step. Renewed five minutes before they expire.
/// </summary>
public sealed class CloudSessions(ICloudProvider cloud, TimeProvider time)
{
    private static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<RoleRequest, CloudSession> _sessions = new();

    public async Task<CloudSession> GetAsync(RoleRequest role, CancellationToken cancellationToken)
    {
        if (_sessions.TryGetValue(role, out var session) && !session.ExpiresWithin(RenewBefore, time.GetUtcNow())) return session;
        session = await cloud.AssumeRoleAsync(role, cancellationToken);
        _sessions[role] = session;
        return session;
    }
}

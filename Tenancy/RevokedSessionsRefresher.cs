using Microsoft.Extensions.Logging;

namespace SpotOptimizer.Tenancy;

/// <summary>Loads the revoked sessions once the schema is in place, then keeps this instance's set in step with the others sharing the database.</summary>
internal sealed class RevokedSessionsRefresher(RevokedSessions revoked, TimeProvider time, ILogger<RevokedSessions> logger)
    : DatabaseLoop(RevokedTokens.RefreshInterval, time, logger)
{
    protected override string What => "Reloading revoked sessions";

    protected override bool RunAtStart => true;

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => revoked.LoadAsync(cancellationToken);
}

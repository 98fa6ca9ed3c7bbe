using Microsoft.Extensions.Logging;

namespace SpotOptimizer.Tenancy;

internal static partial class TenancyLog
{
    [LoggerMessage(1, LogLevel.Warning, "Reloading revoked tokens failed; the previous set stays in force")]
    public static partial void RevocationRefreshFailed(ILogger logger, Exception exception);
}

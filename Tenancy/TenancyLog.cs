using Microsoft.Extensions.Logging;

namespace SpotOptimizer.Tenancy;

internal static partial class TenancyLog
{
    [LoggerMessage(1, LogLevel.Warning, "Reloading revoked tokens failed; the previous set stays in force")]
    public static partial void RevocationRefreshFailed(ILogger logger, Exception exception);

    [LoggerMessage(2, LogLevel.Warning, "Reloading revoked sessions failed; the previous set stays in force")]
    public static partial void SessionRefreshFailed(ILogger logger, Exception exception);
}

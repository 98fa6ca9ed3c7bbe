using Microsoft.Extensions.Logging;

namespace SpotOptimizer.Silo;

internal static partial class SiloLog
{
    [LoggerMessage(1, LogLevel.Information,
        "Silo started on {StorageProvider} storage at {StorageLocation} (start {SiloStarts} since {FirstStartedAt:u})")]
    public static partial void SiloStarted(
        ILogger logger, string storageProvider, string storageLocation, int siloStarts, DateTimeOffset? firstStartedAt);
}

using Microsoft.Extensions.Logging;

namespace SpotOptimizer.Silo;

internal static partial class SiloLog
{
    [LoggerMessage(1, LogLevel.Information, "Silo starting on {StorageProvider} storage at {StorageLocation}")]
    public static partial void SiloStarting(ILogger logger, string storageProvider, string storageLocation);

    [LoggerMessage(2, LogLevel.Information, "Silo started (start {SiloStarts} since {FirstStartedAt:u})")]
    public static partial void SiloStarted(ILogger logger, int siloStarts, DateTimeOffset? firstStartedAt);
}

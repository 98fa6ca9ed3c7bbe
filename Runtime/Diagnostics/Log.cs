using Microsoft.Extensions.Logging;

namespace SpotOptimizer.Runtime;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Error, "Activation of grain {Grain} failed")]
    public static partial void ActivationFailed(ILogger logger, Exception exception, string grain);

    [LoggerMessage(2, LogLevel.Warning, "OnDeactivateAsync of grain {Grain} failed")]
    public static partial void DeactivationFailed(ILogger logger, Exception exception, string grain);

    [LoggerMessage(3, LogLevel.Debug, "Grain {Grain} deactivated ({Reason})")]
    public static partial void Deactivated(ILogger logger, string grain, DeactivationReason reason);

    [LoggerMessage(4, LogLevel.Error, "A turn of grain {Grain} failed outside any caller")]
    public static partial void TurnFailed(ILogger logger, Exception exception, string grain);

    [LoggerMessage(5, LogLevel.Warning, "Timer callback of grain {Grain} failed")]
    public static partial void TimerFailed(ILogger logger, Exception exception, string grain);

    [LoggerMessage(6, LogLevel.Warning, "Reminder {Reminder} of grain {Grain} failed")]
    public static partial void ReminderFailed(ILogger logger, Exception exception, string grain, string reminder);

    [LoggerMessage(7, LogLevel.Information, "Loaded {Count} reminders")]
    public static partial void RemindersLoaded(ILogger logger, int count);

    [LoggerMessage(8, LogLevel.Warning, "Stream {Stream} subscriber failed on an event")]
    public static partial void SubscriberFailed(ILogger logger, Exception exception, string stream);

    [LoggerMessage(9, LogLevel.Warning, "Stream {Stream} subscriber is too slow; dropped its oldest event")]
    public static partial void SubscriberLagging(ILogger logger, string stream);

    [LoggerMessage(10, LogLevel.Information, "Grain runtime started ({GrainTypes} grain types)")]
    public static partial void Started(ILogger logger, int grainTypes);

    [LoggerMessage(11, LogLevel.Information, "Grain runtime stopped; deactivated {Count} activations")]
    public static partial void Stopped(ILogger logger, int count);

    [LoggerMessage(12, LogLevel.Warning, "Shutdown timed out with {Count} activations still deactivating")]
    public static partial void ShutdownTimedOut(ILogger logger, int count);
}

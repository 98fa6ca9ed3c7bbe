using Microsoft.Extensions.Logging;

namespace SpotOptimizer.Storage;

internal static partial class StorageLog
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Information,
        Message = "Applied {Schema} storage schema script {Version} ({ScriptName}) in {ElapsedMs} ms")]
    public static partial void SchemaScriptApplied(ILogger logger, string schema, int version, string scriptName, long elapsedMs);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Debug,
        Message = "{Schema} storage schema is at version {Version}; {Applied} script(s) applied by this instance")]
    public static partial void SchemaUpToDate(ILogger logger, string schema, long version, int applied);
}

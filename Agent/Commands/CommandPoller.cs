using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpotOptimizer.Agent.Reporting;
using SpotOptimizer.Agent.SafeMode;

namespace SpotOptimizer.Agent.Commands;

/// <summary>
/// The command loop: long-poll the platform, run what it hands out one command at a time, post each result. Failures
/// back off with jitter (from <see cref="RetryInterval"/>, capped at a fifth of the safe-mode threshold so the agent
/// notices the outage in time); safe mode is evaluated before every poll. A 401 (token revoked or replaced) ends the
/// loop for good: no command runs on a credential the platform no longer honours.
/// </summary>
public sealed partial class CommandPoller(
    CommandChannel channel, CommandRunner runner, SafeModeController safeMode, IOptions<AgentOptions> options, TimeProvider time, ILogger<CommandPoller> logger)
    : BackgroundService
{
    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(5);

    /// <summary>Between answered polls, so a platform that answers at once is not polled in a tight loop.</summary>
    public static readonly TimeSpan Pause = TimeSpan.FromSeconds(1);

    /// <summary>One round, for the loop and for tests that drive it: safe mode, poll, run.</summary>
    /// <returns>False when the platform answered 401: the loop stops.</returns>
    /// <exception cref="HttpRequestException">The platform did not answer, or refused (the caller backs off).</exception>
    public async Task<bool> PollOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            await safeMode.EvaluateAsync(cancellationToken);
            foreach (var command in await channel.PollAsync(options.Value.CommandWait, cancellationToken)) await runner.RunAsync(command, cancellationToken);
            return true;
        }
        catch (HttpRequestException e) when (CommandChannel.IsRevoked(e))
        {
            LogRevoked(logger, e);
            return false;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!await PollOnceAsync(stoppingToken)) return;
                failures = 0;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
            {
                failures++;
                LogFailed(logger, failures, e);
            }

            var cap = options.Value.SafeModeAfter / 5 < options.Value.MaxBackoff ? options.Value.SafeModeAfter / 5 : options.Value.MaxBackoff;
            var delay = failures == 0 ? Pause : ReportSchedule.NextDelay(RetryInterval, cap < RetryInterval ? RetryInterval : cap, failures, Random.Shared.NextDouble());
            await Task.Delay(delay, time, stoppingToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "The platform answered 401 to the command channel: this cluster's agent token was revoked or replaced. " +
        "The agent runs no more commands (and does not enter safe mode for it); install the new token and restart the agent.")]
    private static partial void LogRevoked(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Command poll failed ({Failures} in a row); backing off.")]
    private static partial void LogFailed(ILogger logger, int failures, Exception exception);
}

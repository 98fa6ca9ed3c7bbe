using System.Diagnostics;

namespace SpotOptimizer.Testing;

/// <summary>Runs the PostgreSQL command-line tools, as the <c>postgres</c> user when this process is root.</summary>
internal sealed class CommandRunner(bool asPostgresUser, string workingDirectory)
{
    /// <summary>initdb, pg_ctl and postgres refuse to run as root, so root hands them to the postgres user.</summary>
    public static bool MustSwitchUser => !OperatingSystem.IsWindows() && Environment.IsPrivilegedProcess;

    public async Task<CommandResult> RunAsync(string executable, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo
        {
            FileName = asPostgresUser ? "runuser" : executable,
            WorkingDirectory = workingDirectory, // the tools warn when they cannot enter the caller's directory
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgresUser)
        {
            foreach (var prefix in (string[])["-u", "postgres", "--", executable])
            {
                start.ArgumentList.Add(prefix);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {executable}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return new CommandResult(-1, $"{Path.GetFileName(executable)} timed out after {timeout}.");
        }

        return new CommandResult(process.ExitCode, (await output + await error).Trim());
    }

    /// <summary>Blocking variant for <see cref="AppDomain.ProcessExit"/>, where awaiting is not possible.</summary>
    public CommandResult Run(string executable, IEnumerable<string> arguments, TimeSpan timeout) =>
        Task.Run(() => RunAsync(executable, arguments, timeout)).GetAwaiter().GetResult();
}

internal sealed record CommandResult(int ExitCode, string Output)
{
    public bool Succeeded => ExitCode == 0;
}

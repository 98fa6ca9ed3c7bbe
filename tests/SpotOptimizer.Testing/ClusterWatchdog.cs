using System.Diagnostics;

namespace SpotOptimizer.Testing;

/// <summary>
/// Stops a throwaway cluster and deletes its folder once this test process is gone, however it ends.
/// The test runner gives the test host only ~100 ms after the last test before killing it, too little for
/// pg_ctl in ProcessExit, and kill -9 runs no handler at all. So a detached shell waits for end-of-file on a pipe
/// whose write end only this process holds: the kernel closes it on any exit, and the shell cleans up.
/// </summary>
internal sealed class ClusterWatchdog : IDisposable
{
    // $1 pg_ctl, $2 data directory, $3 cluster folder, $4 "switch" to run pg_ctl as the postgres user.
    // The outer shell exits at once, so the watcher is not part of this process's tree (a tree kill spares it);
    // it ignores HUP/INT (a terminal's Ctrl+C) and writes nowhere (a closed console would kill it with SIGPIPE).
    private const string Script =
        """
        exec 3<&0 </dev/null >/dev/null 2>&1
        (
          trap '' HUP INT
          while read -r _ <&3; do :; done
          if [ "$4" = switch ]; then runuser -u postgres -- "$1" -D "$2" -m immediate -w stop
          else "$1" -D "$2" -m immediate -w stop; fi
          rm -rf "$3"
        ) &
        """;

    private readonly Process shell;

    private ClusterWatchdog(Process shell) => this.shell = shell;

    public static ClusterWatchdog Start(string pgCtl, string dataDirectory, string folder, bool switchUser)
    {
        var start = new ProcessStartInfo("sh") { RedirectStandardInput = true, UseShellExecute = false };
        foreach (var argument in (string[])["-c", Script, "spotopt-pg-watchdog", pgCtl, dataDirectory, folder,
                     switchUser ? "switch" : "direct"])
        {
            start.ArgumentList.Add(argument);
        }

        var shell = Process.Start(start) ?? throw new InvalidOperationException("Could not start the cluster watchdog.");
        shell.WaitForExit(); // the outer shell only detaches the watcher
        return new ClusterWatchdog(shell);
    }

    /// <summary>Lets the watcher clean up now (closing the pipe is what the kernel does at exit).</summary>
    public void Dispose()
    {
        shell.StandardInput.Close();
        shell.Dispose();
    }
}

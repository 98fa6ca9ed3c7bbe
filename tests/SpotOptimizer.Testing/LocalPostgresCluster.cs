using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace SpotOptimizer.Testing;

/// <summary>
/// A throwaway PostgreSQL cluster in a temp folder: initdb with trust auth, a free loopback port, its socket
/// in the same folder (never the system's), fsync off. Stopping it deletes the folder.
/// </summary>
internal sealed class LocalPostgresCluster
{
    /// <summary>Folders are named spotopt-pg-{owner pid}-{random}, so a later run can tell abandoned ones.</summary>
    private const string FolderPrefix = "spotopt-pg-";
    private const int StartAttempts = 3;
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(60);

    private readonly PostgresBinaries binaries;
    private readonly CommandRunner runner;
    private ClusterWatchdog? watchdog;
    private int stopped;

    private LocalPostgresCluster(PostgresBinaries binaries, string folder)
    {
        this.binaries = binaries;
        Folder = folder;
        runner = new CommandRunner(CommandRunner.MustSwitchUser, Path.GetTempPath());
    }

    public string Folder { get; }

    public int Port { get; private set; }

    private string DataDirectory => Path.Combine(Folder, "data");

    public string AdminConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1", Port = Port, Username = "postgres", Database = "postgres", Timeout = 30,
    }.ConnectionString;

    public static async Task<LocalPostgresCluster> StartAsync(PostgresBinaries binaries)
    {
        RemoveAbandoned(binaries);
        var folder = Path.Combine(Path.GetTempPath(), $"{FolderPrefix}{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..12]}");
        var cluster = new LocalPostgresCluster(binaries, folder);
        // The postgres user must own the folder: as root, let it create the folder itself.
        Require(await cluster.runner.RunAsync("mkdir", ["-m", "700", folder], ToolTimeout), "mkdir");
        try
        {
            // Armed before initdb, so even a run killed while starting leaves nothing behind.
            cluster.watchdog = ClusterWatchdog.Start(binaries.PgCtl, cluster.DataDirectory, folder, CommandRunner.MustSwitchUser);
            Require(await cluster.runner.RunAsync(binaries.InitDb,
                ["-D", cluster.DataDirectory, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"],
                ToolTimeout), "initdb");
            await cluster.StartOnFreePortAsync();
            return cluster;
        }
        catch
        {
            cluster.Stop();
            throw;
        }
    }

    /// <summary>Idempotent; returns once the server is stopped and its folder deleted.</summary>
    public void Stop()
    {
        if (Interlocked.Exchange(ref stopped, 1) == 1)
        {
            return;
        }

        StopServer(runner, binaries, DataDirectory);
        DeleteFolder(Folder);
        watchdog?.Dispose();
    }

    /// <summary>Returns at once and lets the watchdog stop and delete the cluster (for process exit).</summary>
    public void StopInBackground()
    {
        if (Interlocked.Exchange(ref stopped, 1) == 0)
        {
            watchdog?.Dispose();
        }
    }

    private async Task StartOnFreePortAsync()
    {
        var lastFailure = "";
        for (var attempt = 0; attempt < StartAttempts; attempt++)
        {
            // Another process may grab the port between probing and binding, hence the retries.
            Port = FreeLoopbackPort();
            var options = string.Join(' ',
                $"-p {Port.ToString(CultureInfo.InvariantCulture)}", $"-k '{Folder}'",
                "-c listen_addresses=127.0.0.1", "-c fsync=off", "-c max_connections=200");
            var result = await runner.RunAsync(binaries.PgCtl,
                ["-D", DataDirectory, "-l", Path.Combine(Folder, "server.log"), "-w", "-t", "60", "-o", options, "start"],
                ToolTimeout);
            if (result.Succeeded)
            {
                return;
            }

            lastFailure = $"{result.Output}\n{ReadLogTail()}";
        }

        throw new InvalidOperationException($"pg_ctl start failed {StartAttempts} times: {lastFailure}");
    }

    private string ReadLogTail()
    {
        try
        {
            return string.Join('\n', File.ReadLines(Path.Combine(Folder, "server.log")).TakeLast(10));
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }

    /// <summary>Stops and deletes clusters whose test process died without stopping them (crash, kill -9).</summary>
    private static void RemoveAbandoned(PostgresBinaries binaries)
    {
        var runner = new CommandRunner(CommandRunner.MustSwitchUser, Path.GetTempPath());
        foreach (var folder in Directory.GetDirectories(Path.GetTempPath(), FolderPrefix + "*"))
        {
            var owner = Path.GetFileName(folder)[FolderPrefix.Length..].Split('-')[0];
            if (!int.TryParse(owner, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || IsRunning(pid))
            {
                continue; // a live owner may be a parallel test run
            }

            StopServer(runner, binaries, Path.Combine(folder, "data"));
            DeleteFolder(folder);
        }
    }

    private static void StopServer(CommandRunner runner, PostgresBinaries binaries, string dataDirectory)
    {
        // Immediate: the data is thrown away, so there is nothing to flush. A failure means it was not running.
        runner.Run(binaries.PgCtl, ["-D", dataDirectory, "-m", "immediate", "-w", "stop"], ToolTimeout);
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static void DeleteFolder(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the next run's RemoveAbandoned; a test run must not fail over temp files.
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Require(CommandResult result, string tool)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"{tool} failed ({result.ExitCode}): {result.Output}");
        }
    }
}

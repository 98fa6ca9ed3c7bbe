namespace SpotOptimizer.Testing;

/// <summary>Where <c>initdb</c> and <c>pg_ctl</c> live: PATH first, then Debian's versioned server folders.</summary>
internal sealed record PostgresBinaries(string InitDb, string PgCtl)
{
    /// <summary>Debian/Ubuntu keep the server tools off PATH, one folder per major version.</summary>
    private const string DebianServerRoot = "/usr/lib/postgresql";

    public static PostgresBinaries? Find()
    {
        foreach (var folder in CandidateFolders())
        {
            var initDb = Path.Combine(folder, Executable("initdb"));
            var pgCtl = Path.Combine(folder, Executable("pg_ctl"));
            if (File.Exists(initDb) && File.Exists(pgCtl))
            {
                return new PostgresBinaries(initDb, pgCtl);
            }
        }

        return null;
    }

    private static IEnumerable<string> CandidateFolders()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var folder in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            yield return folder;
        }

        if (!Directory.Exists(DebianServerRoot))
        {
            yield break;
        }

        // Newest major version first; folder names are numbers such as "15" or "9.6".
        var versions = Directory.GetDirectories(DebianServerRoot)
            .Select(folder => (Folder: folder, Version: Version.TryParse(Major(folder), out var v) ? v : new Version(0, 0)))
            .OrderByDescending(candidate => candidate.Version);
        foreach (var (folder, _) in versions)
        {
            yield return Path.Combine(folder, "bin");
        }
    }

    private static string Major(string folder)
    {
        var name = Path.GetFileName(folder);
        return name.Contains('.', StringComparison.Ordinal) ? name : name + ".0";
    }

    private static string Executable(string name) => OperatingSystem.IsWindows() ? name + ".exe" : name;
}

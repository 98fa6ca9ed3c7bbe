namespace SpotOptimizer.Bench.Packing;

/// <summary>Options of <c>packing</c>; text options are read from the command line as <c>spot</c> does (the harness parses integers only).</summary>
internal sealed record PackingOptions(
    string? DataDirectory,
    string NodeType,
    IReadOnlyList<string> Families,
    int Pods,
    int FirstSeed,
    int Seeds,
    int Aggressiveness,
    int Warmup,
    int Repeats,
    int WaitIdleSeconds)
{
    public static IReadOnlyList<string> DefaultFamilies { get; } = ["m5", "c5", "r5", "m6i", "c6i", "r6i"];

    private static readonly string[] TextOptions = ["data", "type", "families"];

    public static PackingOptions Read(BenchArgs args)
    {
        var text = TextValues(Environment.GetCommandLineArgs());
        foreach (var name in TextOptions) args.Flag(name);
        return new PackingOptions(
            text.GetValueOrDefault("data"),
            text.GetValueOrDefault("type", "m5.4xlarge"),
            text.TryGetValue("families", out var families) ? families.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : DefaultFamilies,
            args.Int("pods", 5000, 1, 1_000_000),
            args.Int("seed", 1, 0, int.MaxValue - 1000),
            args.Int("seeds", 5, 1, 1000),
            args.Int("aggressiveness", 80, 20, 80),
            args.Int("warmup", 10, 0, 10_000),
            args.Int("repeats", 30, 1, 10_000),
            args.Int("wait-idle", 0, 0, 3600));
    }

    private static Dictionary<string, string> TextValues(string[] commandLine)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < commandLine.Length - 1; i++)
        {
            if (!commandLine[i].StartsWith("--", StringComparison.Ordinal)) continue;
            var name = commandLine[i][2..];
            if (Array.IndexOf(TextOptions, name) >= 0 && !commandLine[i + 1].StartsWith("--", StringComparison.Ordinal)) values[name] = commandLine[i + 1];
        }

        return values;
    }
}

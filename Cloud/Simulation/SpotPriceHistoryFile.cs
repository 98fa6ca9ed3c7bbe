using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace SpotOptimizer.Cloud.Simulation;

/// <summary>One Linux/UNIX <c>DescribeSpotPriceHistory</c> record: the price holds from <see cref="Timestamp"/> until the next change of its pool.</summary>
internal sealed record SpotPriceChange(string AvailabilityZone, string InstanceType, decimal PricePerHour, DateTimeOffset Timestamp);

/// <summary>
/// Reads the data pack's Spot price-history TSV: columns <c>az, instance_type, os, usd_per_hour, timestamp</c>, with the
/// normalised files' header line or without it (the raw dumps). Only Linux/UNIX rows are kept, as the market serves
/// only those. <c>.zst</c> files go through the <c>zstd</c> CLI, as the benchmarks do: no compression package needed.
/// The Optimization project has its own parser for the benchmarks; the Cloud project must not depend on it.
/// </summary>
internal static class SpotPriceHistoryFile
{
    public const string Header = "az\tinstance_type\tos\tusd_per_hour\ttimestamp";
    public const string LinuxUnix = "Linux/UNIX";

    /// <param name="zstdCommand">The decompressor for <c>.zst</c> files; tests name a missing one.</param>
    public static IReadOnlyList<SpotPriceChange> Load(string path, string zstdCommand = "zstd")
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"The Spot price history file {path} does not exist.", path);
        try
        {
            if (!path.EndsWith(".zst", StringComparison.OrdinalIgnoreCase))
            {
                using var reader = File.OpenText(path);
                return Read(reader).ToList();
            }

            return Decompress(path, zstdCommand);
        }
        catch (FormatException e)
        {
            throw new FormatException($"{path}, {e.Message}", e);
        }
    }

    public static IEnumerable<SpotPriceChange> Read(TextReader reader)
    {
        // A file repeats a few hundred zone and type names across up to ~10^6 rows: keep one string of each.
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0) continue;
            if (lineNumber == 1 && line.StartsWith("az\t", StringComparison.Ordinal))
            {
                if (line.TrimEnd('\r') != Header) throw new FormatException($"line 1: header '{line}', expected '{Header}'");
                continue;
            }

            var fields = line.TrimEnd('\r').Split('\t');
            if (fields.Length != 5) throw new FormatException($"line {lineNumber}: {fields.Length} fields, expected 5");
            if (fields[2] != LinuxUnix) continue;
            if (!decimal.TryParse(fields[3], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var price))
                throw new FormatException($"line {lineNumber}: usd_per_hour '{fields[3]}' is not a non-negative number");
            if (!DateTimeOffset.TryParse(fields[4], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var timestamp))
                throw new FormatException($"line {lineNumber}: timestamp '{fields[4]}' is not ISO-8601");
            yield return new SpotPriceChange(Shared(names, fields[0]), Shared(names, fields[1]), price, timestamp.ToUniversalTime());
        }
    }

    private static List<SpotPriceChange> Decompress(string path, string zstdCommand)
    {
        Process zstd;
        try
        {
            zstd = Process.Start(new ProcessStartInfo(zstdCommand, ["-dc", "--", path])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            }) ?? throw new Win32Exception();
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"Reading {path} needs the zstd command-line tool, which could not be started (apt-get install -y zstd).", e);
        }

        using (zstd)
        {
            var errors = zstd.StandardError.ReadToEndAsync();
            try
            {
                var changes = Read(zstd.StandardOutput).ToList();
                zstd.WaitForExit();
                return zstd.ExitCode == 0 ? changes : throw Failed(zstd, path, errors);
            }
            catch (FormatException) when (Exited(zstd) && zstd.ExitCode != 0)
            {
                // A corrupt archive decompresses to garbage before zstd gives up: its own error says more.
                throw Failed(zstd, path, errors);
            }
            finally
            {
                if (!zstd.HasExited) zstd.Kill();
            }
        }
    }

    private static bool Exited(Process process)
    {
        process.StandardOutput.ReadToEnd();
        return process.WaitForExit(TimeSpan.FromSeconds(10));
    }

    private static InvalidOperationException Failed(Process zstd, string path, Task<string> errors) =>
        new($"zstd -dc {path} exited with {zstd.ExitCode}: {errors.GetAwaiter().GetResult().Trim()}");

    private static string Shared(Dictionary<string, string> names, string value)
    {
        if (names.TryGetValue(value, out var shared)) return shared;
        names[value] = value;
        return value;
    }
}

using System.Globalization;

namespace SpotOptimizer.Bench;

/// <summary><c>--name value</c> options and <c>--flag</c> switches; an option nobody read is an error (typos do not pass silently).</summary>
internal sealed class BenchArgs
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _read = new(StringComparer.OrdinalIgnoreCase);

    public static BenchArgs Parse(IEnumerable<string> args)
    {
        var result = new BenchArgs();
        var list = args.ToList();
        for (var i = 0; i < list.Count; i++)
        {
            if (!list[i].StartsWith("--", StringComparison.Ordinal) || list[i].Length < 3)
            {
                throw new ArgumentException($"unexpected argument '{list[i]}' (options look like --duration 10)");
            }

            var name = list[i][2..];
            string? value = null;
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                value = name[(eq + 1)..];
                name = name[..eq];
            }
            else if (i + 1 < list.Count && !list[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                value = list[++i];
            }

            result._values[name] = value;
        }

        return result;
    }

    public bool Flag(string name)
    {
        _read.Add(name);
        return _values.ContainsKey(name);
    }

    public int Int(string name, int defaultValue, int min, int max)
    {
        _read.Add(name);
        if (!_values.TryGetValue(name, out var text)) return defaultValue;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new ArgumentException($"--{name} needs an integer from {min} to {max}, got '{text}'");
        }

        return value;
    }

    /// <summary>Call after reading every option the benchmark knows.</summary>
    public void ThrowIfUnknown()
    {
        var unknown = _values.Keys.Where(k => !_read.Contains(k)).ToList();
        if (unknown.Count > 0) throw new ArgumentException($"unknown option(s): {string.Join(", ", unknown.Select(k => "--" + k))}");
    }
}

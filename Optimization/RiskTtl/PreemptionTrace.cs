using System.Text.Json;

namespace SpotOptimizer.Optimization.RiskTtl;

/// <summary>
/// Which value of a 0/1 trace means "an instance is running". The traces' authors' simulator reads 0 as available
/// (<see cref="ZeroMeansRunning"/>); the run lengths of the preemption traces read more like 1 = running
/// (<see cref="OneMeansRunning"/>). The data pack leaves it open, so every analysis takes it as a parameter.
/// </summary>
public enum TracePolarity
{
    ZeroMeansRunning = 0,
    OneMeansRunning = 1,
}

/// <summary>One single-node preemption trace: a 0/1 value per tick of <see cref="GapSeconds"/>.</summary>
public sealed record PreemptionTrace(string Name, int GapSeconds, IReadOnlyList<int> Data)
{
    public double Hours => Data.Count * GapSeconds / 3600.0;

    public bool[] Running(TracePolarity polarity) =>
        Data.Select(v => polarity == TracePolarity.OneMeansRunning ? v != 0 : v == 0).ToArray();
}

/// <summary>Reads the traces' JSON: <c>{"metadata": {"gap_seconds": N}, "data": [...], "prices": [...]?}</c>.</summary>
public static class PreemptionTraceParser
{
    public static PreemptionTrace Parse(Stream json, string name)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (!root.TryGetProperty("metadata", out var metadata) || !metadata.TryGetProperty("gap_seconds", out var gap))
        {
            throw new FormatException($"{name}: metadata.gap_seconds is missing");
        }

        if (!root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"{name}: data is missing");
        }

        var seconds = gap.GetInt32();
        if (seconds <= 0) throw new FormatException($"{name}: gap_seconds must be positive, got {seconds}");
        return new PreemptionTrace(name, seconds, data.EnumerateArray().Select(v => v.GetInt32()).ToArray());
    }
}

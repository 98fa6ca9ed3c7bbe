using SpotOptimizer.Optimization.RiskTtl;

namespace SpotOptimizer.Optimization.Tests.RiskTtl;

public sealed class RiskPersistenceStudyTests
{
    /// <summary>
    /// One-minute ticks, 1 = running. Every 12 h a burst: four preemptions 10 min apart (2 min down each), then quiet.
    /// So right after a preemption another follows within the hour, while a random running minute rarely sees one.
    /// </summary>
    private static PreemptionTrace Bursty(int days)
    {
        var data = new List<int>();
        for (var cycle = 0; cycle < days * 2; cycle++)
        {
            for (var burst = 0; burst < 4; burst++)
            {
                data.AddRange(Enumerable.Repeat(1, 8));
                data.AddRange(Enumerable.Repeat(0, 2));
            }

            data.AddRange(Enumerable.Repeat(1, 720 - 40));
        }

        return new PreemptionTrace("bursty", 60, data);
    }

    [Fact]
    public void Preemptions_RunningThenStopped_OneEventPerTransition()
    {
        Assert.Equal([2, 6], RiskPersistenceStudy.Preemptions([true, true, false, false, true, true, false]));
    }

    [Fact]
    public void Measure_BurstyTrace_ElevatedRightAfterAndBaselineLater()
    {
        var report = RiskPersistenceStudy.Measure([Bursty(10)], new RiskPersistenceOptions(TracePolarity.OneMeansRunning, WindowMinutes: 30));

        Assert.Equal(80, report.Preemptions);
        var rows = report.Rows.ToDictionary(r => r.OffsetMinutes);
        Assert.True(rows[5].Lift > 5, $"lift at 5 min {rows[5].Lift}");
        Assert.True(rows[120].Lift < 1.5, $"lift at 120 min {rows[120].Lift}");
        Assert.InRange(report.SupportedTtlMinutes!.Value, 30, 120);
    }

    [Fact]
    public void Measure_OppositePolarity_ReadsDifferentEvents()
    {
        var trace = Bursty(2);

        var running = RiskPersistenceStudy.Measure([trace], new RiskPersistenceOptions(TracePolarity.OneMeansRunning));
        var inverted = RiskPersistenceStudy.Measure([trace], new RiskPersistenceOptions(TracePolarity.ZeroMeansRunning));

        Assert.Equal(16, running.Preemptions);
        Assert.Equal(16, inverted.Preemptions); // 0→1 transitions: the ends of the down periods
        Assert.NotEqual(running.BaselineProbability, inverted.BaselineProbability);
    }

    [Fact]
    public void Measure_RegularMemorylessTrace_NoElevation()
    {
        // A preemption exactly every 6 h: right after one, the next is as far away as it can be.
        var data = Enumerable.Range(0, 6 * 360 * 10).Select(i => i % 360 == 0 ? 0 : 1).ToArray();

        var report = RiskPersistenceStudy.Measure([new PreemptionTrace("regular", 60, data)], new RiskPersistenceOptions(TracePolarity.OneMeansRunning, WindowMinutes: 30));

        Assert.Equal(0, report.SupportedTtlMinutes);
    }

    [SkippableFact]
    public void Measure_AwsSingleNodeTraces_RiskStaysElevatedBeyondHalfAnHour()
    {
        var traces = AwsTraces();

        var report = RiskPersistenceStudy.Measure(traces, new RiskPersistenceOptions(TracePolarity.OneMeansRunning));

        Assert.Equal(7, report.Traces);
        Assert.True(report.Preemptions > 400, $"{report.Preemptions} preemptions");
        Assert.True(report.Rows.Single(r => r.OffsetMinutes == 30).Lift > 1.5);
        Assert.True(report.SupportedTtlMinutes is null or > 30);
    }

    internal static List<PreemptionTrace> AwsTraces()
    {
        var files = new[]
        {
            "aws-04-19-2023/us-east-1b_intel_64.json", "aws-04-19-2023/us-east-1c_intel_64.json", "aws-04-19-2023/us-east-1d_intel_64.json",
            "aws-04-22-2023/us-east-1c_v100_1.json", "aws-04-22-2023/us-east-1f_v100_1.json", "aws-04-22-2023/us-west-2b_v100_1.json",
            "aws-04-22-2023/us-west-2c_v100_1.json",
        };
        return files.Select(f =>
        {
            using var stream = DataPack.OpenRead("spot-traces/preemption/1-node/" + f);
            return PreemptionTraceParser.Parse(stream, f);
        }).ToList();
    }
}

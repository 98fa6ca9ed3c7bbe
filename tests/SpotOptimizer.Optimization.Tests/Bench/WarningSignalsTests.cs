using SpotOptimizer.Bench.Spot;

namespace SpotOptimizer.Optimization.Tests.Bench;

public sealed class WarningSignalsTests
{
    [Theory]
    [InlineData("all", (int)WarningSignals.All)]
    [InlineData("none", (int)WarningSignals.None)]
    [InlineData("notice", (int)WarningSignals.Notice)]
    [InlineData("Rebalance, placement", (int)(WarningSignals.Rebalance | WarningSignals.Placement))]
    [InlineData("notice,rebalance,placement", (int)WarningSignals.All)]
    public void Parse_ReadsEveryForm(string text, int expected) => Assert.Equal((WarningSignals)expected, WarningSignalsText.Parse(text));

    [Theory]
    [InlineData("notices")]
    [InlineData("")]
    [InlineData(",")]
    public void Parse_UnknownOrEmpty_SaysWhatItTakes(string text)
    {
        var error = Assert.Throws<ArgumentException>(() => WarningSignalsText.Parse(text));

        Assert.Contains("notice, rebalance, placement", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_ReadsBackAsTheSameSignals()
    {
        foreach (var signals in Enumerable.Range(0, 8).Select(i => (WarningSignals)i))
        {
            Assert.Equal(signals, WarningSignalsText.Parse(WarningSignalsText.Describe(signals)));
        }
    }

    [Fact]
    public void TableRows_AllOff_EachAlone_AllOn()
    {
        Assert.Equal([WarningSignals.None, WarningSignals.Notice, WarningSignals.Rebalance, WarningSignals.Placement, WarningSignals.All], WarningSignalsText.TableRows);
    }
}

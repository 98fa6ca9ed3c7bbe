using SpotOptimizer.Cloud.Simulation;

namespace SpotOptimizer.Cloud.Tests.Simulation;

/// <summary>How a replayed price history maps onto simulated time, and which pools it prices.</summary>
public sealed class ReplayedSpotPricesTests
{
    private const int Seed = 7;
    private const string B = "us-east-1b";
    private const string C = "us-east-1c";
    private const string Type = "c5a.2xlarge";

    // Changes span 1.75 days, so a lap is 2 whole days from 2023-11-11T18:00Z.
    private static readonly string History = PriceHistoryText.Of(
        "az|instance_type|os|usd_per_hour|timestamp",
        "us-east-1b|c5a.2xlarge|Linux/UNIX|0.160000|2023-11-11T18:00:00+00:00",
        "us-east-1c|c5a.2xlarge|Linux/UNIX|0.200000|2023-11-12T00:00:00+00:00",
        "us-east-1b|c5a.2xlarge|Linux/UNIX|0.170000|2023-11-12T06:00:00+00:00",
        "us-east-1b|c5a.2xlarge|Windows|0.400000|2023-11-12T07:00:00+00:00",
        "us-east-1b|c5a.2xlarge|Linux/UNIX|0.150000|2023-11-13T12:00:00+00:00");

    private static DateTimeOffset At(int day, int hour) => new(2023, 11, day, hour, 0, 0, TimeSpan.Zero);

    private static ReplayedSpotPrices Replay(string text = "", DateTimeOffset? start = null) =>
        new(SpotPriceHistoryFile.Read(new StringReader(text.Length == 0 ? History : text)), new SpotPriceModel(Seed), start);

    private static (decimal, DateTimeOffset)? Seen(SpotPrice? price) => price is null ? null : (price.PricePerHour, price.Timestamp);

    [Fact]
    public void At_InsideTheFile_ServesTheFilesPriceFromItsOwnTime()
    {
        var replay = Replay();

        Assert.Equal((0.17m, At(12, 6)), Seen(replay.At(B, Type, At(12, 10))));
        Assert.Equal((0.16m, At(11, 18)), Seen(replay.At(B, Type, At(11, 18))));
        Assert.Equal((At(11, 18), TimeSpan.FromDays(2)), (replay.FirstChange, replay.Lap));
    }

    [Fact]
    public void At_AfterTheFileEnds_StartsItOverEveryLap()
    {
        var replay = Replay();
        var hundredLaps = TimeSpan.FromDays(200);

        Assert.Equal((0.15m, At(13, 12)), Seen(replay.At(B, Type, At(13, 17))));
        Assert.Equal((0.16m, At(13, 18)), Seen(replay.At(B, Type, At(13, 19))));
        Assert.Equal((0.17m, At(12, 6) + hundredLaps), Seen(replay.At(B, Type, At(12, 10) + hundredLaps)));
        Assert.Equal((0.17m, At(12, 6) - hundredLaps), Seen(replay.At(B, Type, At(12, 10) - hundredLaps)));
    }

    [Fact]
    public void At_BeforeAPoolsFirstChangeInALap_KeepsItsLastPriceOfThePreviousLap()
    {
        var replay = Replay();

        Assert.Equal((0.20m, At(12, 0)), Seen(replay.At(C, Type, At(13, 20))));
        Assert.Equal((0.20m, At(10, 0)), Seen(replay.At(C, Type, At(11, 19))));
    }

    [Fact]
    public void At_ConfiguredStart_ShowsTheFirstChangeThen()
    {
        var start = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
        var replay = Replay(start: start);

        Assert.Equal((0.16m, start), Seen(replay.At(B, Type, start)));
        Assert.Equal((0.17m, start.AddHours(12)), Seen(replay.At(B, Type, start.AddHours(13))));
        Assert.Equal((0.15m, start.AddHours(42)), Seen(replay.At(B, Type, start.AddHours(47))));
    }

    [Fact]
    public void Between_AcrossALap_PriceInForceThenEveryChangeInOrder()
    {
        var prices = Replay().Between(B, Type, At(12, 0), At(14, 7)).Select(Seen).ToList();

        Assert.Equal(
            [(0.16m, At(11, 18)), (0.17m, At(12, 6)), (0.15m, At(13, 12)), (0.16m, At(13, 18)), (0.17m, At(14, 6))],
            prices);
    }

    [Fact]
    public void Between_EndsBeforeTheNextChange_OnlyThePriceInForce()
    {
        var price = Assert.Single(Replay().Between(B, Type, At(12, 7), At(13, 12)));

        Assert.Equal((0.17m, At(12, 6)), Seen(price));
    }

    [Fact]
    public void Pools_ReplayedTypeWhereTheFileLacksTheZone_HaveNoOffer()
    {
        var replay = Replay();

        Assert.Null(replay.At("us-east-1a", Type, At(12, 10)));
        Assert.Empty(replay.Between("us-east-1a", Type, At(12, 0), At(14, 0)));
    }

    [Fact]
    public void Pools_CatalogTypeTheFileLacks_FallBackToTheBuiltInModel()
    {
        var replay = Replay();
        var model = new SpotPriceModel(Seed);

        Assert.NotNull(replay.At(B, "m5.large", At(12, 10)));
        Assert.Equal(model.At(B, "m5.large", At(12, 10)), replay.At(B, "m5.large", At(12, 10)));
        Assert.NotEmpty(replay.Between("eu-west-1a", "m5.large", At(12, 0), At(14, 0)));
        Assert.Equal(model.Between("eu-west-1a", "m5.large", At(12, 0), At(14, 0)), replay.Between("eu-west-1a", "m5.large", At(12, 0), At(14, 0)));
        Assert.Null(replay.At(B, "x9.unknown", At(12, 10)));
    }

    [Fact]
    public void New_FileKeyedByAzIds_ThrowsSayingWhy()
    {
        var error = Assert.Throws<FormatException>(() => Replay(PriceHistoryText.Of("use1-az4|m5.large|Linux/UNIX|0.04|2022-05-31T18:20:41+00:00")));

        Assert.Contains("'use1-az4' is not an availability-zone name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void New_NoLinuxRows_Throws()
    {
        var error = Assert.Throws<FormatException>(() => Replay(PriceHistoryText.Of("us-east-1a|m5.large|Windows|0.09|2022-05-31T18:20:41+00:00")));

        Assert.Contains("no Linux/UNIX price changes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RegionOf_ZoneNames_StripTheZoneLetter()
    {
        Assert.Equal(["us-east-1", "ap-southeast-2", null, null],
            new[] { "us-east-1f", "ap-southeast-2a", "use1-az4", "us-west-2-lax-1a" }.Select(ReplayedSpotPrices.RegionOf));
    }
}

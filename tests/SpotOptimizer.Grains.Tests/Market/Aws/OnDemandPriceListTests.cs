using System.Text.Json;
using SpotOptimizer.Grains.Market.Aws;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Grains.Tests.Market.Aws;

/// <summary>The price list is read as a stream: values straddling buffer refills, buffers that must grow, a network that hands over a few bytes at a time.</summary>
public sealed class OnDemandPriceListTests
{
    [SkippableTheory]
    [InlineData(16, 7)]
    [InlineData(1 << 16, 4096)]
    public void Parse_EveryDataPackType_InSmallChunks_EachLinuxSharedPrice(int bufferSize, int chunk)
    {
        var directory = DataPack.Require(PriceListFile.TypesFile, PriceListFile.PricesFile);
        var priced = File.ReadLines(Path.Combine(directory, PriceListFile.PricesFile)).Skip(1).Select(l => l.Split(',')[0]).ToHashSet(StringComparer.Ordinal);
        var names = File.ReadLines(Path.Combine(directory, PriceListFile.TypesFile)).Skip(1).Select(l => l.Split(',')[0]).Where(priced.Contains).ToArray();
        var types = PriceListFile.Types(names);
        Assert.True(types.Count > 1000, "most of the data pack's types have a price");

        using var stream = new TrickleStream(PriceListFile.Build(types), chunk);
        var entries = OnDemandPriceList.Parse(stream, "us-east-1", bufferSize);

        Assert.Equal(types.OrderBy(t => t.Name, StringComparer.Ordinal).Select(t => (t.Name, t.UsdPerHour, t.VCpus, Math.Round(t.MemoryMiB / 1024.0, 2))),
            entries.Select(e => (e.InstanceType, e.UsdPerHour, e.VCpus, e.MemoryGiB)));
    }

    [Fact]
    public void Parse_TruncatedDocument_FailsAsJson()
    {
        using var stream = new MemoryStream("{\"products\": {\"SKU1\": {\"attributes\": {\"instanceType\": \"m5.la"u8.ToArray());

        Assert.ThrowsAny<JsonException>(() => OnDemandPriceList.Parse(stream, "us-east-1", 16));
    }

    [Fact]
    public void Parse_NoProducts_FailsAsFormat()
    {
        using var stream = new MemoryStream("{\"formatVersion\": \"v1.0\", \"terms\": {\"OnDemand\": {}}}"u8.ToArray());

        var error = Assert.Throws<FormatException>(() => OnDemandPriceList.Parse(stream, "us-east-1"));
        Assert.Contains("products", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Hands over at most <paramref name="chunk"/> bytes per read, as a slow network does.</summary>
    private sealed class TrickleStream(byte[] content, int chunk) : MemoryStream(content)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));
    }
}

using System.Globalization;
using System.Xml.Linq;
using SpotOptimizer.Bench.Spot;

namespace SpotOptimizer.Optimization.Tests.Bench;

public sealed class ParetoChartTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static readonly ChartPoint[] Points =
    [
        new("lowest-price", "AWS", 4280, 24),
        new("price-capacity-optimized", "AWS", 4450, 9),
        new("ours, risk 20 %", "ours", 4230, 12),
        new("ours, risk 60 %", "ours", 4300, 8),
        new("oracle & <foresight>", "oracle", 4050, 0),
    ];

    private static (double X, double Y) Centre(XDocument svg, string label)
    {
        var circle = svg.Descendants(Svg + "circle").Single(c => (string?)c.Attribute("data-label") == label);
        return (double.Parse((string)circle.Attribute("cx")!, CultureInfo.InvariantCulture), double.Parse((string)circle.Attribute("cy")!, CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Svg_IsWellFormedXmlWithOnePointPerResult()
    {
        var svg = XDocument.Parse(ParetoChart.Svg(Points, "cost vs interrupted pods"));

        Assert.Equal(Svg + "svg", svg.Root!.Name);
        Assert.Equal(5, svg.Descendants(Svg + "circle").Count());
        // The label with XML's special characters came through escaped and intact.
        Assert.Contains(svg.Descendants(Svg + "circle"), c => (string?)c.Attribute("data-label") == "oracle & <foresight>");
        // A series of several points is joined in order of cost; a single point (the oracle) is not.
        Assert.Equal(2, svg.Descendants(Svg + "polyline").Count());
    }

    [Fact]
    public void Svg_PlacesPointsByTheirData()
    {
        var svg = XDocument.Parse(ParetoChart.Svg(Points, "t"));
        var oracle = Centre(svg, "oracle & <foresight>");
        var lowest = Centre(svg, "lowest-price");
        var pco = Centre(svg, "price-capacity-optimized");
        var ours = Centre(svg, "ours, risk 20 %");

        // Cheapest leftmost, dearest rightmost; fewer interrupted pods lower on the page (larger y).
        Assert.True(oracle.X < ours.X && ours.X < lowest.X && lowest.X < pco.X);
        Assert.True(lowest.Y < ours.Y && ours.Y < pco.Y && pco.Y < oracle.Y);
        // Linear in cost: lowest-price sits where its cost lies between the oracle's and PCO's.
        var expected = oracle.X + (pco.X - oracle.X) * (4280.0 - 4050) / (4450 - 4050);
        Assert.Equal(expected, lowest.X, 1);
        // Zero interrupted pods sits on the x axis.
        Assert.Equal(ParetoChart.Height - ParetoChart.Bottom, oracle.Y, 1);
    }

    [Fact]
    public void Svg_LongSeriesNames_LegendStaysInsideTheImage()
    {
        ChartPoint[] points = [.. Points, new("ours, default (balanced), risk 40 % (default)", "ours, default (balanced) with a long name", 4260, 10)];

        var svg = XDocument.Parse(ParetoChart.Svg(points, "t"));
        var (width, height) = (Number(svg.Root!, "width"), Number(svg.Root!, "height"));
        var legend = svg.Descendants(Svg + "text").Where(t => points.Any(p => p.Series == t.Value)).ToList();

        Assert.Equal(4, legend.Count);
        // About 7 px per character at 12 px: every entry ends inside the width and sits above the bottom edge.
        Assert.All(legend, t => Assert.True(Number(t, "x") + (7 * t.Value.Length) <= width, $"'{t.Value}' runs past the right edge"));
        Assert.All(legend, t => Assert.True(Number(t, "y") < height, $"'{t.Value}' is below the image"));
    }

    [Fact]
    public void Svg_PointsOnTheSameSpot_ShareOneLabel()
    {
        ChartPoint[] points = [new("ours, risk 0 %", "ours", 4230, 12), new("ours, risk 20 %", "ours", 4230.2, 12), new("ours, risk 60 %", "ours", 4300, 8)];

        var labels = XDocument.Parse(ParetoChart.Svg(points, "t")).Descendants(Svg + "text").Select(t => t.Value).ToList();

        Assert.Contains("risk 0 %, risk 20 %", labels);
        Assert.DoesNotContain("risk 20 %", labels);
        Assert.Contains("risk 60 %", labels);
    }

    private static double Number(XElement element, string attribute) => double.Parse((string)element.Attribute(attribute)!, CultureInfo.InvariantCulture);

    [Fact]
    public void Svg_HasNoXmlDeclaration_SoTheUtf8FileItIsWrittenToSaysNothingElse()
    {
        // Written through a StringBuilder, a declaration would claim UTF-16 in a UTF-8 file.
        Assert.StartsWith("<svg ", ParetoChart.Svg(Points, "t"), StringComparison.Ordinal);
    }

    [Fact]
    public void Svg_SameResults_SameBytes()
    {
        Assert.Equal(ParetoChart.Svg(Points, "t"), ParetoChart.Svg(Points, "t"));
    }

    [Fact]
    public void Svg_NoPoints_Refused()
    {
        Assert.Throws<ArgumentException>(() => ParetoChart.Svg([], "t"));
    }
}

using System.Globalization;
using System.Text;
using System.Xml;

namespace SpotOptimizer.Bench.Spot;

/// <summary>A point of the chart: a strategy's mean cost and mean interrupted pods; <see cref="Series"/> groups and colours points.</summary>
internal sealed record ChartPoint(string Label, string Series, double Cost, double InterruptedPods);

/// <summary>
/// The cost / interrupted-pods trade-off as an SVG scatter (issue 11 item 5), written by hand: a few dozen elements
/// need no chart library. Axes are linear over the data's range with a margin; the points of one series are joined in
/// order of cost (ours at several risk weights traces its frontier). The legend sits under the plot, one series per row,
/// so long strategy names never run off the image; points of a series that land on the same spot share one label.
/// Plain, deterministic text: the same results give the same file byte for byte.
/// </summary>
internal static class ParetoChart
{
    public const double Width = 760;

    /// <summary>The height down to the axis title; the legend's rows add <see cref="LegendRow"/> each below it.</summary>
    public const double Height = 460;
    public const double Left = 80;
    public const double Right = 40;
    public const double LegendRow = 18;

    /// <summary>Points closer than this (in pixels) count as one spot for labelling.</summary>
    public const double SameSpot = 8;
    public const double Top = 40;
    public const double Bottom = 60;

    private static readonly string[] Palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf"];

    public static string Svg(IReadOnlyList<ChartPoint> points, string title)
    {
        if (points.Count == 0) throw new ArgumentException("a chart needs at least one point", nameof(points));
        var (x0, x1) = Range(points.Select(p => p.Cost));
        var (y0, y1) = Range(points.Select(p => p.InterruptedPods).Append(0));
        var series = points.Select(p => p.Series).Distinct(StringComparer.Ordinal).ToList();

        var total = Height + 12 + (LegendRow * series.Count);
        var text = new StringBuilder();
        using (var xml = XmlWriter.Create(text, new XmlWriterSettings { Indent = true, OmitXmlDeclaration = true }))
        {
            xml.WriteStartElement("svg", "http://www.w3.org/2000/svg");
            Attr(xml, "width", Width);
            Attr(xml, "height", total);
            xml.WriteAttributeString("viewBox", $"0 0 {N(Width)} {N(total)}");
            xml.WriteAttributeString("font-family", "sans-serif");
            xml.WriteAttributeString("font-size", "12");
            Rect(xml, 0, 0, Width, total, "white");
            Text(xml, Width / 2, 22, title, "middle", bold: true);

            // Axes with five ticks each.
            Line(xml, Left, Height - Bottom, Width - Right, Height - Bottom, "black");
            Line(xml, Left, Top, Left, Height - Bottom, "black");
            for (var i = 0; i <= 4; i++)
            {
                var cx = x0 + (x1 - x0) * i / 4;
                var cy = y0 + (y1 - y0) * i / 4;
                Line(xml, X(cx), Height - Bottom, X(cx), Height - Bottom + 5, "black");
                Text(xml, X(cx), Height - Bottom + 18, cx.ToString("N0", CultureInfo.InvariantCulture), "middle");
                Line(xml, Left - 5, Y(cy), Left, Y(cy), "black");
                Text(xml, Left - 8, Y(cy) + 4, cy.ToString("F1", CultureInfo.InvariantCulture), "end");
            }

            Text(xml, Left + (Width - Left - Right) / 2, Height - 15, "cost over the window (USD, mean over seeds)", "middle");
            xml.WriteStartElement("text");
            Attr(xml, "x", 18);
            Attr(xml, "y", Top + (Height - Top - Bottom) / 2);
            xml.WriteAttributeString("text-anchor", "middle");
            xml.WriteAttributeString("transform", $"rotate(-90 18 {N(Top + (Height - Top - Bottom) / 2)})");
            xml.WriteString("interrupted pods (mean over seeds)");
            xml.WriteEndElement();

            for (var s = 0; s < series.Count; s++)
            {
                var colour = Palette[s % Palette.Length];
                var members = points.Where(p => p.Series == series[s]).OrderBy(p => p.Cost).ToList();
                if (members.Count > 1)
                {
                    xml.WriteStartElement("polyline");
                    xml.WriteAttributeString("points", string.Join(' ', members.Select(p => $"{N(X(p.Cost))},{N(Y(p.InterruptedPods))}")));
                    xml.WriteAttributeString("fill", "none");
                    xml.WriteAttributeString("stroke", colour);
                    xml.WriteEndElement();
                }

                foreach (var p in members)
                {
                    // The series' first point at a spot carries the labels of every point there.
                    var here = members.Where(o => Math.Abs(X(o.Cost) - X(p.Cost)) < SameSpot && Math.Abs(Y(o.InterruptedPods) - Y(p.InterruptedPods)) < SameSpot).ToList();
                    xml.WriteStartElement("circle");
                    xml.WriteAttributeString("class", "point");
                    xml.WriteAttributeString("data-label", p.Label);
                    Attr(xml, "cx", X(p.Cost));
                    Attr(xml, "cy", Y(p.InterruptedPods));
                    Attr(xml, "r", 5);
                    xml.WriteAttributeString("fill", colour);
                    xml.WriteStartElement("title");
                    xml.WriteString(string.Create(CultureInfo.InvariantCulture, $"{p.Label}: {p.Cost:N2} USD, {p.InterruptedPods:F1} pods"));
                    xml.WriteEndElement();
                    xml.WriteEndElement();
                    if (members.Count > 1 && ReferenceEquals(here[0], p))
                    {
                        Text(xml, X(p.Cost) + 7, Y(p.InterruptedPods) - 7, string.Join(", ", here.Select(o => Short(o.Label))), "start", size: 10);
                    }
                }

                // Legend under the plot, one series per row.
                var row = Height + 12 + (LegendRow * s);
                Rect(xml, Left, row - 9, 10, 10, colour);
                Text(xml, Left + 16, row, series[s], "start");
            }

            xml.WriteEndElement();
        }

        return text.ToString();

        double X(double cost) => Left + (cost - x0) / (x1 - x0) * (Width - Left - Right);

        double Y(double pods) => Height - Bottom - (pods - y0) / (y1 - y0) * (Height - Top - Bottom);
    }

    /// <summary>The range of the values with 5 % of margin each side (a unit around a single value).</summary>
    private static (double Low, double High) Range(IEnumerable<double> values)
    {
        var list = values.ToList();
        var (low, high) = (list.Min(), list.Max());
        if (high - low < 1e-9) return (low - 1, high + 1);
        var margin = (high - low) * 0.05;
        return (Math.Max(0, low - margin), high + margin);
    }

    // Labels on the line are the part after the series name (e.g. the risk weight).
    private static string Short(string label) => label.Contains(',', StringComparison.Ordinal) ? label[(label.LastIndexOf(',') + 1)..].Trim() : label;

    private static void Attr(XmlWriter xml, string name, double value) => xml.WriteAttributeString(name, N(value));

    private static string N(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static void Rect(XmlWriter xml, double x, double y, double w, double h, string fill)
    {
        xml.WriteStartElement("rect");
        Attr(xml, "x", x);
        Attr(xml, "y", y);
        Attr(xml, "width", w);
        Attr(xml, "height", h);
        xml.WriteAttributeString("fill", fill);
        xml.WriteEndElement();
    }

    private static void Line(XmlWriter xml, double x1, double y1, double x2, double y2, string stroke)
    {
        xml.WriteStartElement("line");
        Attr(xml, "x1", x1);
        Attr(xml, "y1", y1);
        Attr(xml, "x2", x2);
        Attr(xml, "y2", y2);
        xml.WriteAttributeString("stroke", stroke);
        xml.WriteEndElement();
    }

    private static void Text(XmlWriter xml, double x, double y, string value, string anchor, bool bold = false, int size = 0)
    {
        xml.WriteStartElement("text");
        Attr(xml, "x", x);
        Attr(xml, "y", y);
        xml.WriteAttributeString("text-anchor", anchor);
        if (bold) xml.WriteAttributeString("font-weight", "bold");
        if (size > 0) Attr(xml, "font-size", size);
        xml.WriteString(value);
        xml.WriteEndElement();
    }
}

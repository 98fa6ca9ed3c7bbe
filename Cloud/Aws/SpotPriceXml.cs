using System.Globalization;
using static SpotOptimizer.Cloud.Aws.AwsXml;

namespace SpotOptimizer.Cloud.Aws;

/// <summary>Reads a DescribeSpotPriceHistory page (<c>spotPriceHistorySet/item</c>).</summary>
internal static class SpotPriceXml
{
    public static (IEnumerable<SpotPrice> Prices, string? NextToken) ParsePage(string xml)
    {
        var root = Root(xml, CloudActions.DescribeSpotPriceHistory);
        var prices = Entries(Child(root, "spotPriceHistorySet")).Select(item => new SpotPrice(
                Text(item, "availabilityZone") ?? throw Malformed(CloudActions.DescribeSpotPriceHistory, "a price without availabilityZone"),
                Text(item, "instanceType") ?? throw Malformed(CloudActions.DescribeSpotPriceHistory, "a price without instanceType"),
                decimal.TryParse(Text(item, "spotPrice"), NumberStyles.Number, CultureInfo.InvariantCulture, out var price)
                    ? price
                    : throw Malformed(CloudActions.DescribeSpotPriceHistory, $"spotPrice '{Text(item, "spotPrice")}'"),
                Time(Text(item, "timestamp")) ?? throw Malformed(CloudActions.DescribeSpotPriceHistory, "a price without timestamp")))
            .ToList();
        return (prices, NextToken(root));
    }
}

using System.Globalization;
using System.Text.Json.Nodes;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Grains.Tests.Market.Aws;

/// <summary>A type of the data pack: its shape (instance-types.csv) and us-east-1 Linux On-Demand price (ondemand-prices-us-east-1.csv).</summary>
public sealed record PackType(string Name, string Architecture, int VCpus, int MemoryMiB, int MaxPods, int Gpus, decimal UsdPerHour);

/// <summary>
/// A Price List Bulk API offer file of AmazonEC2 for us-east-1, written at run time from the data pack's real types and
/// prices in the bulk file's shape: each type's Linux/shared/no-software/Used product with its On-Demand term, beside
/// decoys the feed must not read (Windows, dedicated tenancy, SQL Server, an unused reservation, a Capacity Block, a
/// Local Zone; each priced differently) and a Reserved term.
/// </summary>
public static class PriceListFile
{
    public const string TypesFile = "instance-types.csv";
    public const string PricesFile = "ondemand-prices-us-east-1.csv";

    public static IReadOnlyList<PackType> Types(params string[] names)
    {
        var directory = DataPack.Require(TypesFile, PricesFile);
        var prices = File.ReadLines(Path.Combine(directory, PricesFile)).Skip(1).Select(l => l.Split(','))
            .ToDictionary(c => c[0], c => decimal.Parse(c[1], CultureInfo.InvariantCulture), StringComparer.Ordinal);
        var header = File.ReadLines(Path.Combine(directory, TypesFile)).First().Split(',');
        int Column(string name) => Array.IndexOf(header, name);
        return [.. File.ReadLines(Path.Combine(directory, TypesFile)).Skip(1).Select(l => l.Split(','))
            .Where(c => names.Contains(c[0]))
            .Select(c => new PackType(c[0], c[Column("arch")], Int(c[Column("vcpu")]), Int(c[Column("memory_mib")]), Int(c[Column("max_pods")]),
                c[Column("gpu_count")] is { Length: > 0 } gpus ? Int(gpus) : 0, prices[c[0]]))];
    }

    public static byte[] Build(IReadOnlyList<PackType> types, string region = "us-east-1")
    {
        var products = new JsonObject();
        var onDemand = new JsonObject();
        var reserved = new JsonObject();
        var n = 0;
        foreach (var type in types)
        {
            var sku = Add(type, "Linux", "Shared", "NA", "Used", null, region, type.UsdPerHour);
            reserved[sku] = Term(sku, type.UsdPerHour / 3, "Quantity");
            Add(type, "Windows", "Shared", "NA", "Used", null, region, type.UsdPerHour * 2);
            Add(type, "Linux", "Dedicated", "NA", "Used", null, region, type.UsdPerHour * 3);
            Add(type, "Linux", "Shared", "SQL Std", "Used", null, region, type.UsdPerHour * 4);
            Add(type, "Linux", "Shared", "NA", "UnusedCapacityReservation", null, region, type.UsdPerHour * 5);
            Add(type, "Linux", "Shared", "NA", "Used", "CapacityBlock", region, type.UsdPerHour * 6);
            Add(type, "Linux", "Shared", "NA", "Used", null, region + "-bos-1", type.UsdPerHour * 7);
        }

        var offer = new JsonObject
        {
            ["formatVersion"] = "v1.0",
            ["disclaimer"] = "This pricing list is for informational purposes only.",
            ["offerCode"] = "AmazonEC2",
            ["version"] = "20261101000000",
            ["publicationDate"] = "2026-11-01T00:00:00Z",
            ["products"] = products,
            ["terms"] = new JsonObject { ["OnDemand"] = onDemand, ["Reserved"] = reserved },
        };
        return System.Text.Encoding.UTF8.GetBytes(offer.ToJsonString());

        string Add(PackType type, string os, string tenancy, string software, string capacity, string? market, string regionCode, decimal price)
        {
            var sku = $"SKU{n++:D6}TEST";
            var attributes = new JsonObject
            {
                ["servicecode"] = "AmazonEC2",
                ["location"] = "US East (N. Virginia)",
                ["locationType"] = regionCode == region ? "AWS Region" : "AWS Local Zone",
                ["instanceType"] = type.Name,
                ["currentGeneration"] = "Yes",
                ["instanceFamily"] = "General purpose",
                ["vcpu"] = type.VCpus.ToString(CultureInfo.InvariantCulture),
                ["physicalProcessor"] = type.Architecture == "arm64" ? "AWS Graviton2 Processor" : "Intel Xeon Platinum 8175",
                ["memory"] = (type.MemoryMiB / 1024.0).ToString("#,0.##", CultureInfo.InvariantCulture) + " GiB",
                ["tenancy"] = tenancy,
                ["operatingSystem"] = os,
                ["licenseModel"] = "No License required",
                ["capacitystatus"] = capacity,
                ["preInstalledSw"] = software,
                ["regionCode"] = regionCode,
                ["processorArchitecture"] = "64-bit",
                ["operation"] = "RunInstances",
            };
            if (type.Gpus > 0) attributes["gpu"] = type.Gpus.ToString(CultureInfo.InvariantCulture);
            if (market is not null) attributes["marketoption"] = market;
            products[sku] = new JsonObject { ["sku"] = sku, ["productFamily"] = "Compute Instance", ["attributes"] = attributes };
            onDemand[sku] = Term(sku, price, "Hrs");
            return sku;
        }
    }

    private static JsonObject Term(string sku, decimal price, string unit)
    {
        var code = $"{sku}.JRTCKXETXF";
        return new JsonObject
        {
            [code] = new JsonObject
            {
                ["offerTermCode"] = "JRTCKXETXF",
                ["sku"] = sku,
                ["effectiveDate"] = "2026-11-01T00:00:00Z",
                ["priceDimensions"] = new JsonObject
                {
                    [$"{code}.6YS6EN2CT7"] = new JsonObject
                    {
                        ["rateCode"] = $"{code}.6YS6EN2CT7",
                        ["description"] = "test rate",
                        ["beginRange"] = "0",
                        ["endRange"] = "Inf",
                        ["unit"] = unit,
                        ["pricePerUnit"] = new JsonObject { ["USD"] = price.ToString("0.0000000000", CultureInfo.InvariantCulture) },
                        ["appliesTo"] = new JsonArray(),
                    },
                },
                ["termAttributes"] = new JsonObject(),
            },
        };
    }

    private static int Int(string value) => int.Parse(value, CultureInfo.InvariantCulture);
}

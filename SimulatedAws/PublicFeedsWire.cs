using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using SpotOptimizer.Cloud.Simulation;

namespace SpotOptimizer.SimulatedAws;

/// <summary>
/// AWS's two public market files for the simulated catalog, in their real formats, so the AWS market feed reads the
/// demo's prices through its production parsers: the Price List Bulk API offer file of AmazonEC2 for a region (Linux,
/// shared tenancy, no software, Used capacity, each type's On-Demand term) and the Spot Advisor's
/// <c>spot-advisor-data.json</c> (the built-in buckets). Public on AWS too: no signature.
/// </summary>
internal static class PublicFeedsWire
{
    /// <summary>Spot Advisor's buckets: index, label, upper bound of the monthly interruption frequency.</summary>
    private static readonly (int Index, string Label, int Max)[] Ranges = [(0, "<5%", 5), (1, "5-10%", 11), (2, "10-15%", 16), (3, "15-20%", 22), (4, ">20%", 100)];

    public static IResult PriceList(string region)
    {
        var products = new JsonObject();
        var onDemand = new JsonObject();
        foreach (var type in InstanceCatalog.Types)
        {
            var sku = WireIds.Ec2("", $"{region}/{type.Name}")[..16].ToUpperInvariant();
            products[sku] = new JsonObject
            {
                ["sku"] = sku,
                ["productFamily"] = "Compute Instance",
                ["attributes"] = new JsonObject
                {
                    ["servicecode"] = "AmazonEC2", ["regionCode"] = region, ["instanceType"] = type.Name,
                    ["vcpu"] = type.VCpus.ToString(CultureInfo.InvariantCulture),
                    ["memory"] = type.MemoryGiB.ToString("0.##", CultureInfo.InvariantCulture) + " GiB",
                    ["physicalProcessor"] = type.Architecture == "arm64" ? "AWS Graviton2 Processor" : "Intel Xeon Platinum 8175",
                    ["operatingSystem"] = "Linux", ["tenancy"] = "Shared", ["preInstalledSw"] = "NA", ["capacitystatus"] = "Used",
                    ["marketoption"] = "OnDemand",
                },
            };
            var term = sku + ".JRTCKXETXF";
            onDemand[sku] = new JsonObject
            {
                [term] = new JsonObject
                {
                    ["offerTermCode"] = "JRTCKXETXF", ["sku"] = sku, ["effectiveDate"] = "2026-11-01T00:00:00Z",
                    ["priceDimensions"] = new JsonObject
                    {
                        [term + ".6YS6EN2CT7"] = new JsonObject
                        {
                            ["unit"] = "Hrs", ["description"] = $"${type.OnDemandPrice} per On Demand Linux {type.Name} Instance Hour",
                            ["pricePerUnit"] = new JsonObject { ["USD"] = type.OnDemandPrice.ToString("0.0000000000", CultureInfo.InvariantCulture) },
                        },
                    },
                },
            };
        }

        return Results.Json(new JsonObject
        {
            ["formatVersion"] = "v1.0", ["offerCode"] = "AmazonEC2", ["version"] = "20261101000000", ["publicationDate"] = "2026-11-01T00:00:00Z",
            ["products"] = products, ["terms"] = new JsonObject { ["OnDemand"] = onDemand },
        });
    }

    public static IResult Advisor(SimulatedCloud cloud)
    {
        var linux = new JsonObject();
        foreach (var (type, bucket) in SimulatedCloud.BuiltInAdvisorBuckets)
        {
            var saving = (int)Math.Round((InstanceCatalog.Find(type)?.SpotDiscount ?? 0.6) * 100);
            linux[type] = new JsonObject { ["s"] = saving, ["r"] = bucket };
        }

        var regions = new JsonObject();
        foreach (var region in cloud.World.Accounts.SelectMany(a => a.Regions).Select(r => r.Name).Append(SimulatedWorld.DemoRegion).Distinct(StringComparer.Ordinal))
            regions[region] = new JsonObject { ["Linux"] = linux.DeepClone() };
        return Results.Json(new JsonObject
        {
            ["global_rate"] = "<10%",
            ["instance_types"] = new JsonObject(InstanceCatalog.Types.Select(t => KeyValuePair.Create(t.Name,
                (JsonNode?)new JsonObject { ["emr"] = false, ["cores"] = t.VCpus, ["ram_gb"] = t.MemoryGiB }))),
            ["ranges"] = new JsonArray([.. Ranges.Select(r => (JsonNode)new JsonObject { ["index"] = r.Index, ["label"] = r.Label, ["dots"] = r.Index, ["max"] = r.Max })]),
            ["spot_advisor"] = regions,
        });
    }
}

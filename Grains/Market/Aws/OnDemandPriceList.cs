using System.Globalization;
using System.Text.Json;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.Optimization.Market;

namespace SpotOptimizer.Grains.Market.Aws;

/// <summary>One instance type as the price list describes it: its shape and its Linux On-Demand rate.</summary>
/// <param name="Architecture">arm64 or x86_64, as the instance-type catalog names them.</param>
public sealed record PriceListEntry(string InstanceType, int VCpus, double MemoryGiB, string Architecture, int Gpus, decimal UsdPerHour)
{
    /// <summary>
    /// The catalog's view of the type, with the allocatable formula of <see cref="SimulatedMarketFeed.ToTypeInfo"/>.
    /// Max pods is an estimate from the vCPU count (EKS derives it from ENI limits, which the price list does not
    /// carry): the data pack's instance types take these values for most types of each size.
    /// </summary>
    public InstanceTypeInfo ToTypeInfo() =>
        SimulatedMarketFeed.ToTypeInfo(new InstanceTypeSpec(InstanceType, VCpus, MemoryGiB, Architecture, UsdPerHour, EstimatedMaxPods(VCpus), 0)) with { GpuCount = Gpus };

    private static int EstimatedMaxPods(int vcpus) => vcpus switch
    {
        <= 1 => 8,
        2 => 29,
        <= 12 => 58,
        <= 48 => 234,
        _ => 737,
    };
}

/// <summary>
/// Reads a Price List Bulk API offer file of AmazonEC2 (<c>{products: {sku: {attributes}}, terms: {OnDemand: {sku:
/// {term: {priceDimensions: {rate: {pricePerUnit: {USD}}}}}}}}</c>) as a stream, keeping the On-Demand hourly rate of
/// each instance type running Linux on shared tenancy without pre-installed software (capacity status Used, the
/// region itself rather than its Local Zones).
/// </summary>
public static class OnDemandPriceList
{
    public static IReadOnlyList<PriceListEntry> Parse(Stream json, string region) => Parse(json, region, 1 << 16);

    /// <param name="bufferSize">The reader's first buffer (it grows for a larger value): small in tests, to cross every boundary.</param>
    internal static IReadOnlyList<PriceListEntry> Parse(Stream json, string region, int bufferSize)
    {
        var products = new Dictionary<string, Shape>(StringComparer.Ordinal);
        var rates = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var sawProducts = false;
        var source = new JsonStreamReader(json, bufferSize);
        var reader = source.Start();
        source.Expect(ref reader, JsonTokenType.StartObject);
        while (source.Read(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("products"))
            {
                source.Expect(ref reader, JsonTokenType.StartObject);
                while (source.Read(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var sku = reader.GetString()!;
                    using var product = source.ReadValue(ref reader);
                    if (ShapeOf(product.RootElement, region) is { } shape) products[sku] = shape;
                }

                sawProducts = true;
            }
            else if (reader.ValueTextEquals("terms"))
            {
                source.Expect(ref reader, JsonTokenType.StartObject);
                while (source.Read(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (!reader.ValueTextEquals("OnDemand"))
                    {
                        source.SkipValue(ref reader);
                        continue;
                    }

                    source.Expect(ref reader, JsonTokenType.StartObject);
                    while (source.Read(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        var sku = reader.GetString()!;
                        // AWS writes products first; terms of products already known not to matter are skipped unparsed.
                        if (sawProducts && !products.ContainsKey(sku))
                        {
                            source.SkipValue(ref reader);
                            continue;
                        }

                        using var terms = source.ReadValue(ref reader);
                        if (HourlyRate(terms.RootElement) is { } rate) rates[sku] = rate;
                    }
                }
            }
            else
            {
                source.SkipValue(ref reader);
            }
        }

        if (!sawProducts) throw new FormatException("Price list: no 'products' object.");
        return [.. products
            .Where(p => rates.ContainsKey(p.Key))
            .Select(p => new PriceListEntry(p.Value.InstanceType, p.Value.VCpus, p.Value.MemoryGiB, p.Value.Architecture, p.Value.Gpus, rates[p.Key]))
            .GroupBy(e => e.InstanceType, StringComparer.Ordinal)
            .Select(g => g.MinBy(e => e.UsdPerHour)!)
            .OrderBy(e => e.InstanceType, StringComparer.Ordinal)];
    }

    private sealed record Shape(string InstanceType, int VCpus, double MemoryGiB, string Architecture, int Gpus);

    private static Shape? ShapeOf(JsonElement product, string region)
    {
        if (!product.TryGetProperty("attributes", out var a) || a.ValueKind != JsonValueKind.Object) return null;
        string? Attribute(string name) => a.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        if (Attribute("instanceType") is not { Length: > 0 } type
            || Attribute("operatingSystem") != "Linux"
            || Attribute("tenancy") != "Shared"
            || Attribute("preInstalledSw") != "NA"
            || Attribute("capacitystatus") != "Used"
            // Absent in older files; newer ones also list Capacity Blocks, which are not On-Demand capacity.
            || Attribute("marketoption") is { } market && market != "OnDemand"
            // The per-region file also lists the region's Local Zones and Wavelength Zones under their own codes.
            || Attribute("regionCode") is { } code && code != region
            || !int.TryParse(Attribute("vcpu"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var vcpus)
            || MemoryGiB(Attribute("memory")) is not { } memory)
        {
            return null;
        }

        var arm = Attribute("physicalProcessor") is { } processor && processor.Contains("Graviton", StringComparison.OrdinalIgnoreCase);
        var gpus = int.TryParse(Attribute("gpu"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var g) ? g : 0;
        return new Shape(type, vcpus, memory, arm ? "arm64" : "x86_64", gpus);
    }

    /// <summary>"8 GiB", "0.5 GiB", "1,024 GiB".</summary>
    private static double? MemoryGiB(string? memory)
    {
        if (memory is null) return null;
        var number = memory.Replace("GiB", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal).Trim();
        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var gib) ? gib : null;
    }

    /// <summary>The USD rate per hour of a product's On-Demand term (one term, one hourly price dimension).</summary>
    private static decimal? HourlyRate(JsonElement terms)
    {
        foreach (var term in terms.EnumerateObject())
        {
            if (!term.Value.TryGetProperty("priceDimensions", out var dimensions)) continue;
            foreach (var dimension in dimensions.EnumerateObject())
            {
                if (dimension.Value.TryGetProperty("unit", out var unit) && unit.GetString() is "Hrs"
                    && dimension.Value.TryGetProperty("pricePerUnit", out var perUnit) && perUnit.TryGetProperty("USD", out var usd)
                    && decimal.TryParse(usd.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var rate))
                {
                    return rate;
                }
            }
        }

        return null;
    }
}

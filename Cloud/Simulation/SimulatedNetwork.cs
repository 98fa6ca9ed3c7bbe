using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SpotOptimizer.Cloud.Simulation;

/// <summary>
/// The network every simulated account has without being told: zone IDs, one subnet per zone, the launch template EKS
/// made for each managed node group. Derived from the account, region, cluster and node group names rather than stored, so a world
/// saved before they existed has them too, and every silo derives the same ones.
/// </summary>
public static class SimulatedNetwork
{
    private static readonly string[] Directions = ["north", "south", "east", "west"];

    /// <summary>
    /// The zone's ID in <paramref name="accountId"/>'s mapping. AWS shuffles zone names over physical zones per account
    /// (so that everyone's "a" is not the same crowded zone); here the shuffle is a permutation of the region's six IDs
    /// drawn from the account and region, stable forever.
    /// </summary>
    public static string ZoneId(string accountId, string region, string zoneName)
    {
        var letter = zoneName.Length > region.Length ? zoneName[region.Length] : 'a';
        var index = letter - 'a';
        if (!zoneName.StartsWith(region, StringComparison.Ordinal) || index is < 0 or >= 26)
            throw new CloudException(CloudErrorCodes.InvalidRequest, $"'{zoneName}' is not a zone of {region}.");
        var permutation = Permutation(Digest($"zones|{accountId}|{region}"), Math.Max(6, index + 1));
        return string.Create(CultureInfo.InvariantCulture, $"{RegionPrefix(region)}-az{permutation[index] + 1}");
    }

    public static IReadOnlyList<AvailabilityZone> Zones(string accountId, SimulatedRegion region) =>
        [.. region.AvailabilityZones.Select(z => new AvailabilityZone(z, ZoneId(accountId, region.Name, z)))];

    /// <summary>The account's default subnet of each of the region's zones.</summary>
    public static IReadOnlyList<Subnet> Subnets(string accountId, SimulatedRegion region) =>
        [.. Zones(accountId, region).Select(z => new Subnet(SubnetId(accountId, z.ZoneName), z.ZoneName, z.ZoneId))];

    public static string SubnetId(string accountId, string zoneName) => "subnet-0" + Hex(Digest($"subnet|{accountId}|{zoneName}"), 16);

    /// <summary>
    /// The launch template EKS made for a managed node group (EKS names them <c>eks-&lt;uuid&gt;</c>). It is on the
    /// group's Auto Scaling group, never in DescribeNodegroup; a group given a custom template runs on EKS's copy of it.
    /// </summary>
    public static LaunchTemplateRef LaunchTemplate(string accountId, string clusterName, string nodegroupName)
    {
        var digest = Digest($"lt|{accountId}|{clusterName}|{nodegroupName}");
        return new LaunchTemplateRef("lt-0" + Hex(digest, 16), $"eks-{new Guid(digest.AsSpan(0, 16))}", "1");
    }

    /// <summary>A customer's own launch template for a node group, as a node group created with one names it in DescribeNodegroup.</summary>
    public static LaunchTemplateRef CustomLaunchTemplate(string accountId, string clusterName, string nodegroupName) =>
        new("lt-0" + Hex(Digest($"custom-lt|{accountId}|{clusterName}|{nodegroupName}"), 16), $"{clusterName}-{nodegroupName}", "2");

    /// <summary>
    /// The template a node of the group is launched from: its custom one when it has one (stored on the node group),
    /// else the one EKS made (named by its Auto Scaling group only).
    /// </summary>
    public static LaunchTemplateRef LaunchTemplateOf(string accountId, EksNodegroup nodegroup) =>
        nodegroup.LaunchTemplate ?? LaunchTemplate(accountId, nodegroup.ClusterName, nodegroup.Name);

    /// <summary>
    /// The node group as DescribeNodegroup shows it: its launch template only when it was given a custom one (as on
    /// AWS), and its subnets (one per zone).
    /// </summary>
    public static EksNodegroup Described(string accountId, SimulatedRegion region, EksNodegroup nodegroup) => nodegroup with
    {
        Subnets = nodegroup.Subnets.Count > 0 ? nodegroup.Subnets : [.. Subnets(accountId, region).Select(s => s.SubnetId)],
    };

    /// <summary>AWS's zone-ID prefix of a region: us-east-1 → use1, ap-southeast-2 → apse2, us-gov-west-1 → usgw1.</summary>
    public static string RegionPrefix(string region)
    {
        var parts = region.Split('-');
        var builder = new StringBuilder(parts[0]);
        foreach (var part in parts.Skip(1))
        {
            if (part == "gov") builder.Append('g');
            else if (part.All(char.IsAsciiDigit)) builder.Append(part);
            else builder.Append(Direction(part));
        }

        return builder.ToString();
    }

    private static string Direction(string part) => part switch
    {
        "central" => "c",
        _ => string.Concat(Directions.Where(part.Contains).Select(d => d[0])),
    };

    private static int[] Permutation(byte[] digest, int count)
    {
        var order = Enumerable.Range(0, count).ToArray();
        for (var i = count - 1; i > 0; i--)
        {
            var j = digest[i % digest.Length] % (i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        return order;
    }

    private static byte[] Digest(string text) => SHA256.HashData(Encoding.UTF8.GetBytes(text));

    private static string Hex(byte[] digest, int length) => Convert.ToHexStringLower(digest)[..length];
}

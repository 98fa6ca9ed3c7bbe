using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace SpotOptimizer.Cloud;

/// <summary>A parsed IAM role ARN: <c>arn:&lt;partition&gt;:iam::&lt;account&gt;:role/[path/]&lt;name&gt;</c>.</summary>
public sealed partial record RoleArn(string Partition, string AccountId, string Path, string Name)
{
    public override string ToString() => $"arn:{Partition}:iam::{AccountId}:role{Path}{Name}";

    public static bool TryParse(string? value, [NotNullWhen(true)] out RoleArn? arn)
    {
        arn = null;
        if (value is null) return false;
        var match = Pattern().Match(value);
        if (!match.Success) return false;
        arn = new RoleArn(match.Groups["partition"].Value, match.Groups["account"].Value, match.Groups["path"].Value, match.Groups["name"].Value);
        return true;
    }

    /// <summary>Parses or throws <see cref="CloudErrorCodes.InvalidRoleArn"/>.</summary>
    public static RoleArn Parse(string? value) =>
        TryParse(value, out var arn)
            ? arn
            : throw new CloudException(CloudErrorCodes.InvalidRoleArn, $"'{value}' is not an IAM role ARN of the form arn:aws:iam::<12 digits>:role/<name>.");

    // IAM: path is "/" or "/segment/.../", name 1–64 of [\w+=,.@-].
    [GeneratedRegex(@"^arn:(?<partition>aws|aws-cn|aws-us-gov):iam::(?<account>\d{12}):role(?<path>/(?:[\w+=,.@-]+/)*)(?<name>[\w+=,.@-]{1,64})$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}

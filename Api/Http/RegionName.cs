using System.Text.RegularExpressions;

namespace SpotOptimizer.Api.Http;

/// <summary>AWS region names as a path segment: us-east-1, ap-southeast-2, us-gov-west-1.</summary>
public static partial class RegionName
{
    public static bool IsValid(string? region) => region is { Length: <= 32 } && Pattern().IsMatch(region);

    [GeneratedRegex(@"^[a-z]{2}(-[a-z]+)+-\d$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}

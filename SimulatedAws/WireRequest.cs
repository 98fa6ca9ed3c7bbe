using System.Globalization;
using Microsoft.AspNetCore.Http;
using SpotOptimizer.Cloud;
using SpotOptimizer.Cloud.Simulation;

namespace SpotOptimizer.SimulatedAws;

/// <summary>One authenticated request: what arrived, for which region, from whom, to which simulated cloud.</summary>
/// <param name="Session">The session STS issued that signed the request; null when the platform's own key signed it.</param>
internal sealed record WireRequest(HttpContext Context, byte[] Body, string Region, string RequestId, CloudSession? Session, SimulatedCloud Cloud, DateTimeOffset Now)
{
    public CancellationToken Aborted => Context.RequestAborted;

    /// <summary>The session, for every call but STS's: the platform's own key may only assume roles.</summary>
    public CloudSession RequireSession(AwsService service) => Session ?? throw (service switch
    {
        AwsService.Eks => new AwsWireException(403, "AccessDeniedException", "The platform's own identity has no access to customer resources: assume a role first."),
        AwsService.Ec2 => new AwsWireException(403, "UnauthorizedOperation", "You are not authorized to perform this operation. Assume a role first."),
        _ => new AwsWireException(403, "AccessDenied", "The platform's own identity has no access to customer resources: assume a role first."),
    });
}

/// <summary>Paging with opaque tokens, as every listing here pages: the token is the offset of the next page.</summary>
internal static class WirePaging
{
    private const string Prefix = "sim-page-";

    public static (IReadOnlyList<T> Page, string? NextToken) Page<T>(IReadOnlyList<T> items, int pageSize, string? token, Func<string, AwsWireException> invalid)
    {
        var offset = 0;
        if (token is { Length: > 0 } &&
            (!token.StartsWith(Prefix, StringComparison.Ordinal) || !int.TryParse(token[Prefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out offset) || offset > items.Count))
            throw invalid($"The token '{token}' is invalid.");
        var page = items.Skip(offset).Take(pageSize).ToList();
        var next = offset + page.Count;
        return (page, next < items.Count ? Prefix + next.ToString(CultureInfo.InvariantCulture) : null);
    }
}

namespace SpotOptimizer.Cloud.Aws;

/// <summary>Token pagination, the same for every AWS API we list with (EC2, Auto Scaling, EKS).</summary>
internal static class AwsPaging
{
    /// <summary>
    /// Every page of a listing: <paramref name="page"/> gets the token (null first) and returns its items and the next
    /// token. A token seen twice would loop forever, so it fails instead.
    /// </summary>
    public static async Task<IReadOnlyList<T>> AllAsync<T>(string operation, Func<string?, Task<(IEnumerable<T> Items, string? NextToken)>> page)
    {
        var items = new List<T>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? token = null;
        do
        {
            var (batch, next) = await page(token);
            items.AddRange(batch);
            if (next is not null && !seen.Add(next))
                throw new CloudException(CloudErrorCodes.CloudError, $"{operation} returned the same NextToken twice.") { Operation = operation };
            token = next;
        }
        while (token is not null);

        return items;
    }
}

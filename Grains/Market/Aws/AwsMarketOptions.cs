namespace SpotOptimizer.Grains.Market.Aws;

/// <summary>Section <c>Market:Aws</c>: where the AWS provider's market feed reads AWS's public market data, and how often.</summary>
public sealed class AwsMarketOptions
{
    public const string Section = "Market:Aws";

    /// <summary>
    /// The least time between two DescribeSpotPriceHistory sweeps of a region; a market refresh asked for sooner
    /// (<see cref="MarketOptions.PriceRefresh"/>, a grain's start) is answered from the last sweep.
    /// </summary>
    public TimeSpan SpotPriceInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The Price List Bulk API's offer file of AmazonEC2 for one region (<c>{region}</c> is replaced). It is large
    /// (gigabytes for us-east-1): it is read as a stream and only the Linux, shared-tenancy On-Demand rates are kept.
    /// </summary>
    public string OnDemandPriceListUrl { get; set; } = "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonEC2/current/{region}/index.json";

    /// <summary>The Spot Instance Advisor's public data (every region in one file).</summary>
    public string SpotAdvisorUrl { get; set; } = "https://spot-bid-advisor.s3.amazonaws.com/spot-advisor-data.json";

    /// <summary>How long a fetched price list or advisor copy is used before it is fetched again (both are published about daily).</summary>
    public TimeSpan ReferenceInterval { get; set; } = TimeSpan.FromHours(6);

    /// <summary>
    /// Where the last good price list and advisor copies are kept, so a restart without network still has them.
    /// Relative paths are resolved against the host's content root; the host's default is its data directory.
    /// </summary>
    public string? CacheDirectory { get; set; }

    /// <summary>Per download; the us-east-1 offer file takes minutes on a fast link.</summary>
    public TimeSpan DownloadTimeout { get; set; } = TimeSpan.FromMinutes(15);
}

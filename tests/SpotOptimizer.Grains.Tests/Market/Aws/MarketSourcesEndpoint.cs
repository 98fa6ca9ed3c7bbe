using System.Collections.Concurrent;
using System.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SpotOptimizer.Cloud.Aws;
using SpotOptimizer.Grains.Market.Aws;

namespace SpotOptimizer.Grains.Tests.Market.Aws;

/// <summary>One Spot price item as DescribeSpotPriceHistory lists it.</summary>
public sealed record SpotPriceItem(string AvailabilityZone, string InstanceType, string Price, DateTimeOffset Timestamp);

/// <summary>
/// AWS's public market sources on a loopback server: EC2 DescribeSpotPriceHistory (Query protocol, the API
/// reference's XML, one page per scripted list, linked by nextToken) under <c>/ec2/{region}/</c>, a region's price
/// list under <c>/pricing/{region}/index.json</c>, the Spot Advisor under <c>/advisor/spot-advisor-data.json</c>.
/// A source whose flag is off answers 503, as a source gone away.
/// </summary>
public sealed class MarketSourcesEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;

    private MarketSourcesEndpoint(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The Query parameters of each DescribeSpotPriceHistory call, in order.</summary>
    public ConcurrentQueue<IReadOnlyDictionary<string, string>> SpotPriceCalls { get; } = new();

    public ConcurrentQueue<string> Downloads { get; } = new();

    public IReadOnlyList<IReadOnlyList<SpotPriceItem>> SpotPricePages { get; set; } = [];

    public byte[] PriceList { get; set; } = [];

    public byte[] Advisor { get; set; } = [];

    public bool Ec2Up { get; set; } = true;

    /// <summary>How many of the next DescribeSpotPriceHistory calls EC2 throttles (RequestLimitExceeded, HTTP 503, as EC2 answers it).</summary>
    public int ThrottleSpotPriceCalls { get; set; }

    public bool PricingUp { get; set; } = true;

    public bool AdvisorUp { get; set; } = true;

    public static async Task<MarketSourcesEndpoint> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var endpoint = new MarketSourcesEndpoint(app);
        app.Run(endpoint.ServeAsync);
        await app.StartAsync();
        endpoint.BaseAddress = new Uri(app.Urls.First());
        return endpoint;
    }

    /// <summary>The feed's settings pointed here, caching in <paramref name="cacheDirectory"/>.</summary>
    public AwsMarketOptions MarketOptions(string cacheDirectory) => new()
    {
        OnDemandPriceListUrl = new Uri(BaseAddress, "/pricing/{region}/index.json").ToString().Replace("%7B", "{", StringComparison.Ordinal).Replace("%7D", "}", StringComparison.Ordinal),
        SpotAdvisorUrl = new Uri(BaseAddress, "/advisor/spot-advisor-data.json").ToString(),
        CacheDirectory = cacheDirectory,
    };

    /// <summary>Our identity and EC2 endpoint, as the cloud provider's options give them; no retries unless asked, so a source gone away fails at once.</summary>
    /// <param name="retries">How often a throttled or failed call is retried (at once: no backoff delay).</param>
    public AwsCloudOptions CloudOptions(int retries = 0) => new()
    {
        Credentials = new Amazon.Runtime.BasicAWSCredentials("AKIDMARKETFEED", "market-feed-secret"),
        Endpoints = AwsEndpoints.AllAt(BaseAddress),
        MaxRetries = retries,
        RetryBaseDelay = TimeSpan.Zero,
        RequestTimeout = TimeSpan.FromSeconds(10),
    };

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task ServeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        if (path.StartsWith("/ec2/", StringComparison.Ordinal))
        {
            var form = await context.Request.ReadFormAsync();
            var parameters = form.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
            if (parameters.GetValueOrDefault("Action") == "DescribeAvailabilityZones" && Ec2Up)
            {
                await WriteAsync(context, 200, "text/xml;charset=UTF-8", ZonesXml);
                return;
            }

            SpotPriceCalls.Enqueue(parameters);
            if (!Ec2Up)
            {
                await WriteAsync(context, 503, "text/xml", "<Response><Errors><Error><Code>Unavailable</Code><Message>The service is unavailable.</Message></Error></Errors><RequestID>r-503</RequestID></Response>");
                return;
            }

            if (ThrottleSpotPriceCalls > 0)
            {
                ThrottleSpotPriceCalls--;
                await WriteAsync(context, 503, "text/xml",
                    "<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>r-throttled</RequestID></Response>");
                return;
            }

            var page = parameters.TryGetValue("NextToken", out var token) && token.Length > 0 ? int.Parse(token["page-".Length..], System.Globalization.CultureInfo.InvariantCulture) : 0;
            await WriteAsync(context, 200, "text/xml;charset=UTF-8", SpotPriceHistoryXml(page));
            return;
        }

        Downloads.Enqueue(path);
        var (up, body) = path.StartsWith("/pricing/", StringComparison.Ordinal) ? (PricingUp, PriceList) : (AdvisorUp, Advisor);
        if (!up)
        {
            await WriteAsync(context, 503, "text/plain", "Service Unavailable");
            return;
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(body);
    }

    /// <summary>The platform account's zones: its names map to these IDs (DescribeAvailabilityZones, the API reference's shape).</summary>
    public const string ZonesXml = """
        <DescribeAvailabilityZonesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
          <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>
          <availabilityZoneInfo>
            <item><zoneName>us-east-1a</zoneName><zoneState>available</zoneState><regionName>us-east-1</regionName><zoneId>use1-az4</zoneId></item>
            <item><zoneName>us-east-1b</zoneName><zoneState>available</zoneState><regionName>us-east-1</regionName><zoneId>use1-az6</zoneId></item>
          </availabilityZoneInfo>
        </DescribeAvailabilityZonesResponse>
        """;

    /// <summary>The response of the API reference's example, one page of items and the token of the next.</summary>
    private string SpotPriceHistoryXml(int page)
    {
        var items = SpotPricePages.Count > page ? SpotPricePages[page] : [];
        var next = page + 1 < SpotPricePages.Count ? $"<nextToken>page-{page + 1}</nextToken>" : "<nextToken/>";
        return $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <DescribeSpotPriceHistoryResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
              <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>
              <spotPriceHistorySet>{string.Concat(items.Select(i => $"""
                <item>
                  <instanceType>{SecurityElement.Escape(i.InstanceType)}</instanceType>
                  <productDescription>Linux/UNIX</productDescription>
                  <spotPrice>{i.Price}</spotPrice>
                  <timestamp>{i.Timestamp.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ}</timestamp>
                  <availabilityZone>{i.AvailabilityZone}</availabilityZone>
                </item>
            """))}
              </spotPriceHistorySet>
              {next}
            </DescribeSpotPriceHistoryResponse>
            """;
    }

    private static async Task WriteAsync(HttpContext context, int status, string contentType, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        await context.Response.WriteAsync(body);
    }
}

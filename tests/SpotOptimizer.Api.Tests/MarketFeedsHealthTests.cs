using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans;
using SpotOptimizer.Api.Health;
using SpotOptimizer.Grains.Interfaces.Market;
using SpotOptimizer.Grains.Market;
using SpotOptimizer.Grains.Market.Aws;
using SpotOptimizer.Silo;
using SpotOptimizer.Silo.Storage;

namespace SpotOptimizer.Api.Tests;

/// <summary>Each market feed on <c>/health</c> with its status and age; the AWS provider's host wires the AWS feed.</summary>
public sealed class MarketFeedsHealthTests
{
    [Fact]
    public async Task Health_FeedReports_EachListedWithStatusAndAge_DegradedWhileOneIsNot()
    {
        await using var app = SpotOptimizerApp.Sqlite();
        var client = app.CreateClient();
        using (var quiet = await client.GetAsync("/health"))
        {
            var body = JsonDocument.Parse(await quiet.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(HttpStatusCode.OK, quiet.StatusCode);
            Assert.Equal(0, body.GetProperty("feeds").GetArrayLength());
            Assert.Equal("Healthy", body.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == MarketFeedsHealthCheck.Name).GetProperty("status").GetString());
        }

        var now = DateTimeOffset.UtcNow;
        var feeds = app.Services.GetRequiredService<IGrainFactory>().GetGrain<IMarketFeedHealthGrain>(IMarketFeedHealthGrain.Key);
        await feeds.Report(new FeedReport(MarketFeedNames.SpotPrices, "us-east-1", FeedState.Healthy, now.AddSeconds(-30), null));
        await feeds.Report(new FeedReport(MarketFeedNames.OnDemandPrices, "us-east-1", FeedState.Degraded, now.AddHours(-7), "price list: 503"));
        await feeds.Report(new FeedReport(MarketFeedNames.SpotAdvisor, null, FeedState.Unavailable, null, "advisor: 503"));

        using var response = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var health = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Degraded", health.GetProperty("status").GetString());
        var listed = health.GetProperty("feeds").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!);
        Assert.Equal(["on_demand_prices", "spot_advisor", "spot_prices"], listed.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(("healthy", "us-east-1"), (listed["spot_prices"].GetProperty("status").GetString(), listed["spot_prices"].GetProperty("region").GetString()));
        Assert.InRange(listed["spot_prices"].GetProperty("age_seconds").GetDouble(), 30, 90);
        Assert.Equal("degraded", listed["on_demand_prices"].GetProperty("status").GetString());
        Assert.InRange(listed["on_demand_prices"].GetProperty("age_seconds").GetDouble(), 7 * 3600, (7 * 3600) + 60);
        Assert.Equal(("unavailable", JsonValueKind.Null), (listed["spot_advisor"].GetProperty("status").GetString(), listed["spot_advisor"].GetProperty("age_seconds").ValueKind));
        var check = health.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == MarketFeedsHealthCheck.Name);
        Assert.Equal("Degraded", check.GetProperty("status").GetString());
        Assert.Contains("on_demand_prices (us-east-1)", check.GetProperty("description").GetString());
    }

    [Fact]
    public void AddCloud_Aws_WiresTheAwsMarketFeed_BoundFromMarketAws_CacheInTheDataDirectory()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Root);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = temp.Root });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [CloudSelection.ProviderKey] = "aws",
            [SiloStorage.DataDirectoryKey] = temp.Child("data"),
            ["Market:Aws:SpotAdvisorUrl"] = "http://127.0.0.1:9/advisor.json",
            ["Market:Aws:SpotPriceInterval"] = "00:02:00",
        });
        builder.Services.AddLogging();

        builder.AddCloud();

        using var host = builder.Build();
        Assert.IsType<AwsMarketFeed>(host.Services.GetRequiredService<IMarketFeed>());
        var options = host.Services.GetRequiredService<IOptions<AwsMarketOptions>>().Value;
        Assert.Equal(("http://127.0.0.1:9/advisor.json", TimeSpan.FromMinutes(2)), (options.SpotAdvisorUrl, options.SpotPriceInterval));
        Assert.Equal(Path.Combine(temp.Child("data"), "market-cache"), options.CacheDirectory);
        Assert.Contains("{region}", options.OnDemandPriceListUrl, StringComparison.Ordinal);
    }
}

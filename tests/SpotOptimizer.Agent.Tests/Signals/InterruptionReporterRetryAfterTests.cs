using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using SpotOptimizer.Agent.Reporting;
using SpotOptimizer.Agent.Signals;
using SpotOptimizer.Api.Tests;
using SpotOptimizer.Api.Tests.Onboarding;
using SpotOptimizer.Cloud;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.Testing;
using static SpotOptimizer.Api.Tests.Optimization.OptimizationJourney;

namespace SpotOptimizer.Agent.Tests.Signals;

/// <summary>
/// Over the tenant's report allowance in a region the platform answers 429 <c>rate_limited</c> with <c>Retry-After</c>;
/// the agent's reporter waits that long before it tries again, instead of its own 1–30 s backoff.
/// </summary>
public sealed class InterruptionReporterRetryAfterTests
{
    [Theory]
    [InlineData(0, null, 1)]
    [InlineData(3, null, 8)]
    [InlineData(9, null, 30)]
    [InlineData(0, 600, 600)]
    [InlineData(9, 5, 30)]
    public void RetryDelay_BackoffOrRetryAfterWhicheverIsLonger(int attempt, int? retryAfterSeconds, int expectedSeconds) =>
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds),
            InterruptionReporter.RetryDelay(attempt, retryAfterSeconds is { } s ? TimeSpan.FromSeconds(s) : null));

    [Fact]
    public async Task OverTheAllowance_ReporterWaitsForRetryAfter_NotItsOwnBackoff()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres: false, Settings(("Market:AgentReportLimit", "1"), ("Market:AgentReportWindow", "00:10:00")));
        var tenant = await TenantClient.SignUpAsync(app, "ops@agent-retry-after.io");
        var (_, token, _) = await Journey.ConnectFirstClusterAsync(tenant, await Journey.LinkAccountAsync(tenant, SimulatedWorld.DemoAccountId));
        var name = (await tenant.GetJsonAsync("/api/client/clusters")).GetProperty("clusters").EnumerateArray().Single().GetProperty("name").GetString()!;
        var spot = SimulatedCloudOf(app).World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion("us-east-1")!.NodesOf(name)
            .Where(n => n.TerminatedAt is null && n.Instance.Lifecycle == InstanceLifecycle.Spot).Take(2).ToList();
        Assert.Equal(2, spot.Count);
        var counter = new RequestCounter();
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var reporter = new InterruptionReporter(new Clients(app, counter), Microsoft.Extensions.Options.Options.Create(new AgentOptions { Token = token }), clock,
            NullLogger<InterruptionReporter>.Instance);
        InterruptionSignal Signal(SimulatedNode node) => new(node.Instance.InstanceId, node.Instance.InstanceId, NodeSignals.Interruption, DateTimeOffset.UtcNow);

        Assert.NotNull(await reporter.ReportAsync(Signal(spot[0]), CancellationToken.None));
        using var stop = new CancellationTokenSource();
        var refused = reporter.ReportAsync(Signal(spot[1]), stop.Token);
        await Eventually.Wait(() => Task.FromResult(counter.Count), c => c == 2, TimeSpan.FromSeconds(10), "the second report to be sent and refused");
        var retryAfter = counter.LastRetryAfter ?? throw new Xunit.Sdk.XunitException("the 429 carried no Retry-After");
        Assert.Equal(HttpStatusCode.TooManyRequests, counter.LastStatus);
        Assert.InRange(retryAfter, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(10));

        // The reporter's own backoff would have retried six times within a minute.
        await Task.Delay(200);
        clock.Advance(TimeSpan.FromMinutes(1));
        await Task.Delay(500);
        Assert.Equal(2, counter.Count);

        clock.Advance(retryAfter - TimeSpan.FromMinutes(1));
        await Eventually.Wait(() => Task.FromResult(counter.Count), c => c == 3, TimeSpan.FromSeconds(10), "the retry once Retry-After has passed");
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => refused);
    }

    /// <summary>The requests the agent sent, and the last answer's status and Retry-After.</summary>
    private sealed class RequestCounter
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public HttpStatusCode? LastStatus { get; private set; }

        public TimeSpan? LastRetryAfter { get; private set; }

        public void Saw(HttpResponseMessage response)
        {
            (LastStatus, LastRetryAfter) = (response.StatusCode, response.Headers.RetryAfter?.Delta);
            Interlocked.Increment(ref _count);
        }
    }

    /// <summary>One handler per client (a handler belongs to one pipeline), all counting into one <see cref="RequestCounter"/>.</summary>
    private sealed class Counting(RequestCounter counter) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            counter.Saw(response);
            return response;
        }
    }

    private sealed class Clients(SpotOptimizerApp app, RequestCounter counter) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => app.CreateDefaultClient(new Uri("http://localhost/"), new Counting(counter));
    }
}

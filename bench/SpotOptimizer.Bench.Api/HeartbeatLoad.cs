using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace SpotOptimizer.Bench.Api;

internal sealed record LoadRow(string Load, long Heartbeats, double PerSecond, double P50Ms, double P99Ms, double P999Ms, long Errors, string Target)
{
    public string ToMarkdown() => string.Create(CultureInfo.InvariantCulture,
        $"| {Load} | {Heartbeats:N0} | {PerSecond:N0} | {P50Ms:F2} | {P99Ms:F2} | {P999Ms:F2} | {Errors} | {Target} |");
}

/// <summary>
/// Agents heartbeating over real HTTP/1.1 keep-alive connections: a closed loop (as fast as the server answers) and a
/// paced run at a fixed rate whose latency is measured from each request's scheduled time (no coordinated omission).
/// </summary>
internal sealed class HeartbeatLoad(Uri baseAddress, IReadOnlyList<string> agentTokens)
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"agent_version":"1.4.2","node_count":12,"pod_count":180}""");

    public async Task<IReadOnlyList<LoadRow>> RunAsync(HeartbeatBenchOptions options)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Workers, UseCookies = false })
        {
            BaseAddress = baseAddress,
        };
        await WarmUpAsync(http, options);
        var closed = await RunClosedLoopAsync(http, options.Workers, options.Duration);
        var paced = await RunPacedAsync(http, options.Workers, options.Rate, options.Duration);
        var headroom = await RunPacedAsync(http, options.Workers, options.Rate * 6 / 5, options.Duration);
        return
        [
            Row($"closed loop, {options.Workers} connections", closed, options.Duration, "≥ 20,000/s"),
            Row($"paced at {options.Rate:N0}/s", paced, options.Duration, "p99 < 20 ms"),
            Row($"paced at {options.Rate * 6 / 5:N0}/s (headroom)", headroom, options.Duration, "info"),
        ];
    }

    /// <summary>
    /// Closed-loop slices for <see cref="HeartbeatBenchOptions.Warmup"/>, so tiered JIT reaches its optimized code,
    /// connections open and grains activate. With Orleans and tiered PGO this takes 20-40 s on 2 cores: the old fixed 6 s
    /// measured the JIT. The slices' rates are printed, so a reader sees whether they had levelled off.
    /// </summary>
    private async Task WarmUpAsync(HttpClient http, HeartbeatBenchOptions options)
    {
        var slice = TimeSpan.FromSeconds(2);
        var rates = new List<double>();
        var deadline = Stopwatch.GetTimestamp() + (long)(options.Warmup.TotalSeconds * Stopwatch.Frequency);
        do
        {
            rates.Add((await RunClosedLoopAsync(http, options.Workers, slice)).Count / slice.TotalSeconds);
        }
        while (Stopwatch.GetTimestamp() < deadline);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Warm-up: {rates.Count} closed-loop slices of {slice.TotalSeconds} s: {string.Join(", ", rates.Select(r => r.ToString("N0", CultureInfo.InvariantCulture)))} /s"));
    }

    private async Task<Samples> RunClosedLoopAsync(HttpClient http, int workers, TimeSpan duration)
    {
        var samples = new Samples(workers);
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            for (var i = w; Stopwatch.GetTimestamp() < stopAt; i += workers)
            {
                var started = Stopwatch.GetTimestamp();
                var ok = await SendAsync(http, agentTokens[i % agentTokens.Count]);
                samples.Record(w, Stopwatch.GetTimestamp() - started, ok);
            }
        })));
        return samples;
    }

    private async Task<Samples> RunPacedAsync(HttpClient http, int workers, int rate, TimeSpan duration)
    {
        var samples = new Samples(workers);
        var interval = Stopwatch.Frequency * workers / (double)rate;
        var start = Stopwatch.GetTimestamp();
        var count = (long)(duration.TotalSeconds * rate / workers);
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            for (long k = 0; k < count; k++)
            {
                var due = start + (long)((k + (w / (double)workers)) * interval);
                var wait = due - Stopwatch.GetTimestamp();
                if (wait > Stopwatch.Frequency / 1000) await Task.Delay(TimeSpan.FromSeconds(wait / (double)Stopwatch.Frequency));
                var ok = await SendAsync(http, agentTokens[(int)((k * workers + w) % agentTokens.Count)]);
                samples.Record(w, Stopwatch.GetTimestamp() - Math.Min(due, Stopwatch.GetTimestamp()), ok);
            }
        })));
        return samples;
    }

    private static async Task<bool> SendAsync(HttpClient http, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/agent/heartbeat") { Content = new ByteArrayContent(Body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        return response.StatusCode == HttpStatusCode.OK;
    }

    private static LoadRow Row(string load, Samples samples, TimeSpan duration, string target)
    {
        var latencies = samples.Sorted();
        double Percentile(double p) => latencies.Length == 0 ? 0 : latencies[Math.Min(latencies.Length - 1, (int)(p * latencies.Length))] * 1000.0 / Stopwatch.Frequency;
        return new LoadRow(load, latencies.Length, latencies.Length / duration.TotalSeconds, Percentile(0.50), Percentile(0.99), Percentile(0.999), samples.Errors, target);
    }

    /// <summary>Per-worker sample lists, so recording never contends.</summary>
    private sealed class Samples(int workers)
    {
        private readonly List<long>[] _latencies = [.. Enumerable.Range(0, workers).Select(_ => new List<long>(1 << 16))];
        private long _errors;

        public long Errors => Interlocked.Read(ref _errors);

        public int Count => _latencies.Sum(l => l.Count);

        public void Record(int worker, long ticks, bool ok)
        {
            _latencies[worker].Add(ticks);
            if (!ok) Interlocked.Increment(ref _errors);
        }

        public long[] Sorted()
        {
            var all = _latencies.SelectMany(l => l).ToArray();
            Array.Sort(all);
            return all;
        }
    }
}

using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace SpotOptimizer.Testing;

/// <summary>
/// A real HTTP endpoint on a free loopback port (<see cref="HttpListener"/>) that keeps every request it receives and
/// answers as the test scripts it: a queue of status codes (then 200), and an optional delay before answering.
/// </summary>
public sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<HttpStatusCode> _script = new();
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();
    private readonly CancellationTokenSource _stop = new();

    public WebhookReceiver()
    {
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string Url(string path = "hook") => $"http://127.0.0.1:{Port}/{path}";

    /// <summary>How long each answer waits (a slow receiver).</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.Zero;

    public IReadOnlyList<ReceivedRequest> Received => [.. _received];

    /// <summary>The next requests are answered with these codes, in order; after them, 200.</summary>
    public void Answer(params HttpStatusCode[] codes)
    {
        foreach (var code in codes) _script.Enqueue(code);
    }

    public async Task<ReceivedRequest> WaitForAsync(Func<ReceivedRequest, bool>? match = null, TimeSpan? within = null) =>
        (await Eventually.Wait(() => Received.LastOrDefault(r => match?.Invoke(r) ?? true), r => r is not null, within, "a webhook request"))!;

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        using var body = new MemoryStream();
        await context.Request.InputStream.CopyToAsync(body);
        var headers = context.Request.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
        var status = _script.TryDequeue(out var scripted) ? scripted : HttpStatusCode.OK;
        _received.Enqueue(new ReceivedRequest(context.Request.HttpMethod, context.Request.Url!.AbsolutePath, headers, body.ToArray(), (int)status));
        try
        {
            if (Delay > TimeSpan.Zero) await Task.Delay(Delay, _stop.Token);
            context.Response.StatusCode = (int)status;
            context.Response.Close();
        }
        catch (Exception exception) when (exception is OperationCanceledException or HttpListenerException or ObjectDisposedException)
        {
            // The test is over or the client gave up (a timeout under test).
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
        _stop.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <param name="AnsweredWith">The status code the receiver answered this request with.</param>
public sealed record ReceivedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body, int AnsweredWith)
{
    public string Text => System.Text.Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SpotOptimizer.Cloud.Tests.Aws;

/// <summary>A request as the loopback endpoint received it, routed by <c>/{service}/{region}/rest</c>.</summary>
public sealed record RecordedRequest(string Method, string Service, string Region, string Path, string Query, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);

    /// <summary>The Query-protocol parameters of a form POST.</summary>
    public IReadOnlyDictionary<string, string> Form => BodyText.Split('&', StringSplitOptions.RemoveEmptyEntries)
        .Select(p => p.Split('=', 2)).ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p.Length > 1 ? p[1] : ""), StringComparer.Ordinal);

    public string? Action => Form.GetValueOrDefault("Action");

    public string Header(string name) => Headers.GetValueOrDefault(name.ToLowerInvariant(), "");
}

public sealed record FakeResponse(int Status, string Body, string ContentType = "text/xml;charset=UTF-8", IReadOnlyDictionary<string, string>? Headers = null, TimeSpan Delay = default);

/// <summary>
/// A real HTTP server on loopback that answers like AWS: the test scripts the answers, the endpoint records every
/// request and, like AWS, rejects one whose SigV4 signature does not verify (403 SignatureDoesNotMatch).
/// </summary>
public sealed class FakeAwsEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeAwsEndpoint(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Secret keys by access key id, to verify signatures with.</summary>
    public ConcurrentDictionary<string, string> Secrets { get; } = new(StringComparer.Ordinal);

    public Func<RecordedRequest, FakeResponse> Handler { get; set; } = _ => AwsResponses.QueryError(400, "NoScriptedResponse", "The test scripted no answer.");

    public static async Task<FakeAwsEndpoint> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var endpoint = new FakeAwsEndpoint(app);
        app.Run(endpoint.ServeAsync);
        await app.StartAsync();
        endpoint.BaseAddress = new Uri(app.Urls.First());
        return endpoint;
    }

    public IEnumerable<RecordedRequest> For(string service) => Requests.Where(r => r.Service == service);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task ServeAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var segments = context.Request.Path.Value!.Split('/', 4);
        var request = new RecordedRequest(
            context.Request.Method,
            segments.Length > 1 ? segments[1] : "",
            segments.Length > 2 ? segments[2] : "",
            context.Request.Path.Value!,
            context.Request.QueryString.Value ?? "",
            context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.Ordinal),
            buffer.ToArray());
        Requests.Enqueue(request);

        var response = Verify(request) ?? Handler(request);
        if (response.Delay > TimeSpan.Zero) await Task.Delay(response.Delay, context.RequestAborted);
        context.Response.StatusCode = response.Status;
        context.Response.ContentType = response.ContentType;
        foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>()) context.Response.Headers[name] = value;
        await context.Response.WriteAsync(response.Body, context.RequestAborted);
    }

    private FakeResponse? Verify(RecordedRequest request)
    {
        var auth = SigV4Reference.Parse(request.Header("Authorization"));
        if (auth is null) return AwsResponses.QueryError(403, "MissingAuthenticationToken", "Request is missing Authentication Token");
        if (!Secrets.TryGetValue(auth.AccessKeyId, out var secret)) return AwsResponses.QueryError(403, "InvalidClientTokenId", "The security token included in the request is invalid.");
        var payloadHash = SigV4Reference.PayloadHash(request.Body);
        var canonical = SigV4Reference.CanonicalRequest(request.Method, request.Path, request.Query, auth.SignedHeaders, request.Header, payloadHash);
        var expected = SigV4Reference.Signature(canonical, secret, request.Header("X-Amz-Date"), auth.Region, auth.Service);
        return expected == auth.Signature
            ? null
            : AwsResponses.QueryError(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.");
    }
}

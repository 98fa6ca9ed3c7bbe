using System.Net;
using System.Text;

namespace SpotOptimizer.Dashboard.Tests;

/// <summary>One request the UI sent: method, path with query, JSON body and Authorization header.</summary>
public sealed record RecordedRequest(string Method, string Path, string? Body, string? Authorization);

/// <summary>
/// The remote platform as the UI's <see cref="HttpClient"/> reaches it: canned JSON answers by method and path, every
/// request recorded. An answer can be held back (<see cref="Hold"/>) to see the page while the request is pending.
/// A request with no answer set gets a 500 ProblemDetails with code <c>unexpected_request</c>, so a test that did not
/// expect it fails on what the page shows.
/// </summary>
public sealed class FakePlatform : HttpMessageHandler
{
    private readonly Dictionary<string, Queue<Func<Task<HttpResponseMessage>>>> _answers = [];
    private readonly List<RecordedRequest> _requests = [];

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_requests) return [.. _requests];
        }
    }

    /// <summary>Answers the next <paramref name="method"/> request to <paramref name="path"/> with this status and JSON.</summary>
    public FakePlatform Answer(string method, string path, HttpStatusCode status, string json)
    {
        Enqueue(method, path, () => Task.FromResult(Response(status, json)));
        return this;
    }

    public FakePlatform Ok(string method, string path, string json) => Answer(method, path, HttpStatusCode.OK, json);

    /// <summary>Answers with an RFC 7807 body as the API writes it (title, detail and the stable code).</summary>
    public FakePlatform Problem(string method, string path, HttpStatusCode status, string code, string title, string? detail) =>
        Answer(method, path, status, System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["type"] = "https://tools.ietf.org/html/rfc9110",
            ["title"] = title,
            ["status"] = (int)status,
            ["detail"] = detail,
            ["code"] = code,
        }));

    /// <summary>The next such request waits until the test releases it with <see cref="PendingAnswer.Release"/>.</summary>
    public PendingAnswer Hold(string method, string path)
    {
        var pending = new PendingAnswer();
        Enqueue(method, path, () => pending.Task);
        return pending;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.PathAndQuery;
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        Func<Task<HttpResponseMessage>>? answer = null;
        lock (_requests)
        {
            _requests.Add(new RecordedRequest(request.Method.Method, path, body, request.Headers.Authorization?.ToString()));
            if (_answers.TryGetValue(Key(request.Method.Method, path), out var queue) && queue.Count > 0) answer = queue.Dequeue();
        }

        return answer is null
            ? Response(HttpStatusCode.InternalServerError, $$"""{"title":"Unexpected request","detail":"No answer set for {{request.Method}} {{path}}.","code":"unexpected_request"}""")
            : await answer();
    }

    private void Enqueue(string method, string path, Func<Task<HttpResponseMessage>> answer)
    {
        lock (_requests)
        {
            var key = Key(method, path);
            if (!_answers.TryGetValue(key, out var queue)) _answers[key] = queue = new Queue<Func<Task<HttpResponseMessage>>>();
            queue.Enqueue(answer);
        }
    }

    private static string Key(string method, string path) => $"{method.ToUpperInvariant()} {path}";

    internal static HttpResponseMessage Response(HttpStatusCode status, string json) => new(status)
    {
        Content = new StringContent(json, Encoding.UTF8, (int)status >= 400 ? "application/problem+json" : "application/json"),
    };
}

/// <summary>An answer the test gives later.</summary>
public sealed class PendingAnswer
{
    private readonly TaskCompletionSource<HttpResponseMessage> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal Task<HttpResponseMessage> Task => _answer.Task;

    public void Release(HttpStatusCode status, string json) => _answer.SetResult(FakePlatform.Response(status, json));
}

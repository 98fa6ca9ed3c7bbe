using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace SpotOptimizer.Dashboard.Services;

/// <summary>
/// The public API as the UI calls it: JSON in snake_case, the session's bearer token on every call, and every failure
/// turned into an <see cref="ProblemException"/> carrying the ProblemDetails' stable code and detail for the page to show.
/// </summary>
public sealed class PlatformApi(HttpClient http, Session session)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public Task<T> GetAsync<T>(string path, CancellationToken cancellationToken = default) =>
        SendAsync<T>(HttpMethod.Get, path, null, cancellationToken);

    public Task<T> PostAsync<T>(string path, object body, CancellationToken cancellationToken = default) =>
        SendAsync<T>(HttpMethod.Post, path, body, cancellationToken);

    public Task<T> PatchAsync<T>(string path, object body, CancellationToken cancellationToken = default) =>
        SendAsync<T>(HttpMethod.Patch, path, body, cancellationToken);

    /// <summary>A form upload (a file), answered with JSON.</summary>
    public async Task<T> PostFormAsync<T>(string path, MultipartFormDataContent form, CancellationToken cancellationToken = default)
    {
        using var response = await SendRawAsync(HttpMethod.Post, path, form, cancellationToken);
        return (await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken))!;
    }

    /// <summary>A call answered with no body the UI needs (204, or a bare acknowledgement).</summary>
    public async Task SendAsync(HttpMethod method, string path, object? body = null, CancellationToken cancellationToken = default)
    {
        using var response = await SendRawAsync(method, path, body, cancellationToken);
    }

    /// <summary>A file the API serves (an export), with the name its Content-Disposition gives.</summary>
    public async Task<(string FileName, string ContentType, byte[] Content)> DownloadAsync(string path, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (await session.TokenAsync() is { } token) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode) throw await ReadProblemAsync(response, cancellationToken);
        var name = response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"') ?? "download";
        return (name, response.Content.Headers.ContentType?.MediaType ?? "application/octet-stream", await response.Content.ReadAsByteArrayAsync(cancellationToken));
    }

    /// <summary>The statuses a job ends in (the API's JobStatus).</summary>
    public static bool IsFinished(string jobStatus) => jobStatus is "succeeded" or "partial" or "failed" or "cancelled";

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(method, path, body, cancellationToken);
        return (await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken))!;
    }

    /// <returns>A successful response; a failure is thrown as its ProblemDetails (and a 401 signs the tab out).</returns>
    private async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (await session.TokenAsync() is { } token) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = body as HttpContent ?? JsonContent.Create(body, options: Json);
        var response = await http.SendAsync(request, cancellationToken);
        if (response.IsSuccessStatusCode) return response;

        using (response)
        {
            var problem = await ReadProblemAsync(response, cancellationToken);
            if (response.StatusCode == HttpStatusCode.Unauthorized) await session.SignOutAsync();
            throw problem;
        }
    }

    private static async Task<ProblemException> ReadProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var problem = await response.Content.ReadFromJsonAsync<ProblemBody>(Json, cancellationToken);
            return new ProblemException((int)response.StatusCode, problem?.Code ?? "unknown", problem?.Detail ?? problem?.Title ?? response.ReasonPhrase ?? "The request failed.");
        }
        catch (JsonException)
        {
            return new ProblemException((int)response.StatusCode, "unknown", $"The platform answered {(int)response.StatusCode} {response.ReasonPhrase}.");
        }
    }

    private sealed record ProblemBody(string? Code, string? Title, string? Detail);
}

/// <summary>A failed API call as the UI shows it: the ProblemDetails' code (what the page may branch on) and its detail.</summary>
public sealed class ProblemException(int status, string code, string detail) : Exception(detail)
{
    public int Status { get; } = status;

    public string Code { get; } = code;
}

using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Http.Headers;

namespace SpotOptimizer.Notifications.Channels;

/// <summary>
/// POSTs JSON for the HTTP channels. The named client follows no redirect (a 3xx is a failure: a receiver must not
/// bounce our signed request to another host) and gives up after <c>Notifications:Timeout</c>.
/// </summary>
public static class HttpDelivery
{
    public const string ClientName = "notifications";

    [SuppressMessage("Reliability", "CA2025", Justification = "The request is sent and finished before it is disposed.")]
    public static async Task<DeliveryResult> PostJsonAsync(
        IHttpClientFactory clients, string url, byte[] body, IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken)
    {
        var http = clients.CreateClient(ClientName);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode) return DeliveryResult.Ok(status);
            var retryable = status >= 500 || response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout;
            var error = status is >= 300 and < 400 ? $"HTTP {status}: redirects are not followed" : $"HTTP {status} {response.ReasonPhrase}";
            return new DeliveryResult(false, status, error, retryable);
        }
        catch (HttpRequestException exception)
        {
            return new DeliveryResult(false, null, $"connection failed: {exception.HttpRequestError}", true);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new DeliveryResult(false, null, $"timed out after {http.Timeout.TotalSeconds:0.#} s", true);
        }
    }
}

using Microsoft.AspNetCore.Diagnostics;
using SpotOptimizer.Api.Extensions;

namespace SpotOptimizer.Api.Http;

/// <summary>
/// Gives every body-less error response a ProblemDetails body, whatever the client accepts. The framework's own writer
/// stays silent when the request asks for HTML (a browser, a curl with its own Accept), which left a bare 404.
/// </summary>
internal static class StatusCodeProblems
{
    public static async Task WriteAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var status = http.Response.StatusCode;
        var noEndpoint = http.GetEndpoint() is null;
        var (code, title, detail) = status switch
        {
            StatusCodes.Status404NotFound when noEndpoint => (
                "not_found", "Not Found",
                $"No endpoint answers {http.Request.Method} {http.Request.Path}. The API's routes are listed at /openapi/v1.json."),
            StatusCodes.Status405MethodNotAllowed => (
                "method_not_allowed", "Method Not Allowed",
                $"{http.Request.Path} does not accept {http.Request.Method}; allowed: {http.Response.Headers.Allow}."),
            _ => (ProblemCodes.ForStatus(status), Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status), (string?)null),
        };
        await Problems.Of(status, code, title, detail).ExecuteAsync(http);
    }
}

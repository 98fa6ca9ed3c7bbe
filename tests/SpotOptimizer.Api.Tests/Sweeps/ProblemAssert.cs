using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SpotOptimizer.Api.Tests.Sweeps;

/// <summary>Checks that a response is an RFC 7807 problem with the expected status and <c>code</c>.</summary>
public static class ProblemAssert
{
    public const string MediaType = "application/problem+json";

    public static async Task<JsonElement> IsAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status} {code}, got {(int)response.StatusCode}: {text}");
        Assert.True(response.Content.Headers.ContentType?.MediaType == MediaType,
            $"Expected {MediaType}, got '{response.Content.Headers.ContentType?.MediaType}': {text}");
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()), "a problem has a title");
        return problem;
    }

    /// <summary>The problem's fields without the per-request <c>trace_id</c>, for comparing two answers.</summary>
    public static string WithoutTraceId(JsonElement problem)
    {
        var node = JsonNode.Parse(problem.GetRawText())!.AsObject();
        node.Remove("trace_id");
        node.Remove("traceId");
        return node.ToJsonString();
    }

    /// <summary>The field names in a <c>validation_failed</c> problem's <c>errors</c>.</summary>
    public static IReadOnlyList<string> ErrorFields(JsonElement problem) =>
        [.. problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal)];

    public static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}

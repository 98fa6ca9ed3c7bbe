using System.Text.Json;
using System.Text.Json.Serialization;

namespace SpotOptimizer.Api.Http;

/// <summary>
/// The API's wire format: snake_case property names (as the product's contracts spell them), enums as strings.
/// Dictionary keys are data (field names, ProblemDetails extensions such as traceId) and keep their spelling.
/// </summary>
public static class ApiJson
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        return options;
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace SpotOptimizer.Notifications;

/// <summary>How this module stores and sends JSON: snake_case, as the API spells it.</summary>
public static class NotificationJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}

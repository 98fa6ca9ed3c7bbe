namespace SpotOptimizer.Api.Http;

/// <summary>Resource ids are UUIDs; anything else is a client error (400), not a lookup miss.</summary>
public static class Ids
{
    public static bool TryNormalize(string? raw, out string id)
    {
        id = Guid.TryParse(raw, out var parsed) ? parsed.ToString("D") : "";
        return id.Length > 0;
    }

    public static IResult Invalid(string field) => Problems.BadRequest("invalid_id", $"{field} must be a UUID.");
}

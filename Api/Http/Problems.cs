using SpotOptimizer.Api.Extensions;

namespace SpotOptimizer.Api.Http;

/// <summary>RFC 7807 responses with the stable <c>code</c> clients branch on.</summary>
public static class Problems
{
    public static IResult Of(int status, string code, string title, string? detail = null, IDictionary<string, object?>? extra = null)
    {
        var extensions = new Dictionary<string, object?> { [ProblemCodes.Extension] = code };
        if (extra is not null)
        {
            foreach (var (key, value) in extra) extensions[key] = value;
        }

        return TypedResults.Problem(detail, statusCode: status, title: title, extensions: extensions);
    }

    public static IResult Validation(IReadOnlyDictionary<string, string[]> errors) =>
        Of(StatusCodes.Status400BadRequest, "validation_failed", "The request has invalid fields.",
            string.Join(" ", errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}"))),
            new Dictionary<string, object?> { ["errors"] = errors });

    public static IResult BadRequest(string code, string detail) =>
        Of(StatusCodes.Status400BadRequest, code, "The request is invalid.", detail);

    /// <summary>Also what another organization's resource answers: existence is not disclosed.</summary>
    public static IResult NotFound(string what) =>
        Of(StatusCodes.Status404NotFound, "not_found", "Not found.", $"No {what} with that id.");

    public static IResult Conflict(string code, string detail) => Of(StatusCodes.Status409Conflict, code, "Conflict.", detail);

    public static IResult Unauthorized(string code, string detail) => Of(StatusCodes.Status401Unauthorized, code, "Unauthorized.", detail);

    public static IResult Unprocessable(string code, string detail) =>
        Of(StatusCodes.Status422UnprocessableEntity, code, "The request could not be carried out.", detail);
}

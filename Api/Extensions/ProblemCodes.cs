using Microsoft.AspNetCore.WebUtilities;

namespace SpotOptimizer.Api.Extensions;

/// <summary>
/// Gives every ProblemDetails a stable machine-readable <c>code</c> (clients branch on it, not on the title).
/// Endpoints that know a more specific code set it themselves; otherwise it is the status's reason, snake_cased.
/// </summary>
internal static class ProblemCodes
{
    public const string Extension = "code";

    public static void Add(ProblemDetailsContext context)
    {
        var status = context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode;
        context.ProblemDetails.Extensions.TryAdd(Extension, ForStatus(status));
    }

    public static string ForStatus(int status) =>
        ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } reason
            ? reason.Replace(' ', '_').Replace("-", "", StringComparison.Ordinal).ToLowerInvariant()
            : "error";
}

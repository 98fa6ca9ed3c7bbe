using System.Buffers;
using System.Text.Json;

namespace SpotOptimizer.Api.Http;

/// <summary>A request body that validates itself; field names in errors are the wire (snake_case) names.</summary>
public interface IValidatable
{
    void Validate(ValidationErrors errors);
}

/// <summary>An item inside a request body (a node of the agent's inventory); its errors are named under <c>at</c> (<c>nodes[3].name</c>).</summary>
public interface IValidatableItem
{
    void Validate(ValidationErrors errors, string at);
}

public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = [];

    public bool Any => _errors.Count > 0;

    /// <summary>How many fields have errors.</summary>
    public int Count => _errors.Count;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages)) _errors[field] = messages = [];
        messages.Add(message);
    }

    /// <summary>Adds "is required" and returns false when the value is missing or blank.</summary>
    public bool Required(string field, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value)) return true;
        Add(field, "is required.");
        return false;
    }

    /// <summary>Adds "is required" or "must be a UUID" and returns false unless the value is a resource id.</summary>
    public bool RequiredId(string field, string? value)
    {
        if (!Required(field, value)) return false;
        if (Ids.TryNormalize(value, out _)) return true;
        Add(field, "must be a UUID.");
        return false;
    }

    public IReadOnlyDictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
}

/// <summary>
/// Reads a JSON body strictly: wrong media type → 415, oversized → 413, malformed or mistyped JSON → 400
/// <c>invalid_json</c> naming the path, invalid fields → 400 <c>validation_failed</c>. Nothing is written before this passes.
/// </summary>
public static class JsonBody
{
    public const int MaxBytes = 64 * 1024;

    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class, IValidatable
    {
        if (!request.HasJsonContentType())
        {
            return (null, Problems.Of(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type",
                "The body must be JSON.", "Send Content-Type: application/json."));
        }

        if (request.ContentLength > MaxBytes) return (null, TooLarge());
        // Heartbeats arrive tens of thousands of times a second: read into a pooled buffer, never a fresh one per request.
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(request.ContentLength ?? 4096, MaxBytes) + 1);
        try
        {
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > MaxBytes) return (null, TooLarge());
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, MaxBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (read == 0) break;
                length += read;
                if (length > MaxBytes) return (null, TooLarge());
            }

            return Parse<T>(buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static (T? Value, IResult? Problem) Parse<T>(ReadOnlySpan<byte> json)
        where T : class, IValidatable
    {
        T? value;
        try
        {
            value = JsonSerializer.Deserialize<T>(json, ApiJson.Options);
        }
        catch (JsonException exception)
        {
            return (null, Malformed(exception));
        }

        return Validated(value);
    }

    internal static IResult Malformed(JsonException exception)
    {
        var where = exception.Path is { Length: > 1 } path ? $" at {path}" : "";
        return Problems.BadRequest("invalid_json", $"The body is not valid JSON for this request{where}.");
    }

    internal static (T? Value, IResult? Problem) Validated<T>(T? value)
        where T : class, IValidatable
    {
        if (value is null) return (null, Problems.BadRequest("invalid_json", "The body must be a JSON object."));
        var errors = new ValidationErrors();
        value.Validate(errors);
        return errors.Any ? (null, Problems.Validation(errors.ToDictionary())) : (value, null);
    }

    internal static IResult TooLarge(long maxBytes = MaxBytes) =>
        Problems.Of(StatusCodes.Status413PayloadTooLarge, "payload_too_large", "The body is too large.", $"At most {maxBytes} bytes.");
}

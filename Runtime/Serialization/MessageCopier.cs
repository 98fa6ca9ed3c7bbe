using System.Text.Json;

namespace SpotOptimizer.Runtime.Serialization;

/// <summary>
/// Copies a message value by round-tripping it through System.Text.Json with its declared type: what a
/// remote call would do. A value that cannot make the trip fails here, in tests, rather than on the wire.
/// </summary>
internal sealed class MessageCopier(JsonSerializerOptions options)
{
    public object? Copy(object? value, Type declaredType, string where)
    {
        if (value is null) return null;
        try
        {
            var bytes = JsonSerializer.SerializeToUtf8Bytes(value, declaredType, options);
            return JsonSerializer.Deserialize(bytes, declaredType, options);
        }
        catch (Exception exception) when (exception is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new NotSupportedException($"{where} ({declaredType.Name}) is not a serializable value: {exception.Message}", exception);
        }
    }

    public T Copy<T>(T value, string where) => (T)Copy(value, typeof(T), where)!;
}

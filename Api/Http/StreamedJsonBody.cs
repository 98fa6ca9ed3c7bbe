using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace SpotOptimizer.Api.Http;

/// <summary>
/// <see cref="JsonBody"/> for the few bodies that are legitimately large (the agent's inventory: tens of megabytes for a
/// big cluster): the JSON is parsed as it arrives instead of being copied whole into one pooled buffer, which would keep
/// arrays of that size alive in the pool. Same answers: 415, 413 <c>payload_too_large</c>, 400 <c>invalid_json</c> or
/// <c>validation_failed</c>.
/// </summary>
public static class StreamedJsonBody
{
    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
        where T : class, IValidatable
    {
        if (!request.HasJsonContentType())
        {
            return (null, Problems.Of(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type",
                "The body must be JSON.", "Send Content-Type: application/json."));
        }

        if (request.ContentLength > maxBytes) return (null, JsonBody.TooLarge(maxBytes));
        // The server's own limit is below this one and would answer a bare 413; this route's limit is enforced just below.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } serverLimit) serverLimit.MaxRequestBodySize = null;
        await using var body = new CappedStream(request.Body, maxBytes);
        T? value;
        try
        {
            value = await JsonSerializer.DeserializeAsync<T>(body, ApiJson.Options, cancellationToken);
        }
        catch (CappedStream.LimitExceededException)
        {
            return (null, JsonBody.TooLarge(maxBytes));
        }
        catch (JsonException exception)
        {
            return (null, JsonBody.Malformed(exception));
        }

        return JsonBody.Validated(value);
    }

    /// <summary>Reads through to the request body and throws once more than the limit has arrived (chunked bodies have no length to check first).</summary>
    private sealed class CappedStream(Stream inner, long maxBytes) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush() => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Count(int read)
        {
            _read += read;
            return _read > maxBytes ? throw new LimitExceededException() : read;
        }

        public sealed class LimitExceededException : IOException;
    }
}

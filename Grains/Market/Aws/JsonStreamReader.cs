using System.Text.Json;

namespace SpotOptimizer.Grains.Market.Aws;

/// <summary>
/// Feeds a <see cref="Utf8JsonReader"/> from a stream through one buffer that is refilled (and grown for a value
/// larger than it) as the reader runs past it, so a multi-gigabyte document is read in constant memory.
/// </summary>
internal sealed class JsonStreamReader(Stream stream, int bufferSize = 1 << 16)
{
    private byte[] _buffer = new byte[bufferSize];
    private int _length;
    private bool _final;

    /// <summary>A reader over the first chunk; pass it back by reference to every other member.</summary>
    public Utf8JsonReader Start()
    {
        var reader = new Utf8JsonReader([], isFinalBlock: false, default);
        Refill(ref reader);
        return reader;
    }

    /// <summary>The next token, refilling as needed; false at the end of the document.</summary>
    public bool Read(ref Utf8JsonReader reader)
    {
        while (!reader.Read())
        {
            if (_final) return false;
            Refill(ref reader);
        }

        return true;
    }

    /// <summary>The next token, which must be <paramref name="expected"/>.</summary>
    public void Expect(ref Utf8JsonReader reader, JsonTokenType expected)
    {
        if (!Read(ref reader)) throw new JsonException($"The document ended where {expected} was expected.");
        if (reader.TokenType != expected) throw new JsonException($"Expected {expected}, found {reader.TokenType} at byte {reader.TokenStartIndex}.");
    }

    /// <summary>Positioned on a property name: the whole value after it, parsed (for the small values worth keeping).</summary>
    public JsonDocument ReadValue(ref Utf8JsonReader reader)
    {
        while (true)
        {
            // A copy probes whether the value is whole in the buffer; the reader itself stays on the property name.
            var probe = reader;
            if (probe.Read() && probe.TrySkip())
            {
                reader.Read();
                return JsonDocument.ParseValue(ref reader);
            }

            if (_final) throw new JsonException("The document ended inside a value.");
            Refill(ref reader);
        }
    }

    /// <summary>Positioned on a property name: skips its value, however large, token by token.</summary>
    public void SkipValue(ref Utf8JsonReader reader)
    {
        if (!Read(ref reader)) throw new JsonException("The document ended where a value was expected.");
        if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray)) return;
        var depth = reader.CurrentDepth;
        while (Read(ref reader))
        {
            if (reader.CurrentDepth == depth && reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray) return;
        }

        throw new JsonException("The document ended inside a value.");
    }

    /// <summary>Keeps the bytes the reader has not consumed, reads more after them, and restarts the reader there.</summary>
    private void Refill(ref Utf8JsonReader reader)
    {
        var consumed = (int)reader.BytesConsumed;
        Buffer.BlockCopy(_buffer, consumed, _buffer, 0, _length - consumed);
        _length -= consumed;
        if (_length == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
        var read = stream.Read(_buffer, _length, _buffer.Length - _length);
        _length += read;
        _final = read == 0;
        reader = new Utf8JsonReader(_buffer.AsSpan(0, _length), _final, reader.CurrentState);
    }
}

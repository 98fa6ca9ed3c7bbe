using System.Buffers.Binary;
using System.Text;

namespace SpotOptimizer.Api.Tests.Lab;

/// <summary>
/// Just enough protobuf to write ONNX models by hand (no Python, no generated classes): varints, length-delimited
/// fields and fixed32 floats. Field numbers are those of onnx.proto (ONNX IR version 8).
/// </summary>
internal sealed class OnnxProto
{
    private readonly MemoryStream _bytes = new();

    public byte[] ToArray() => _bytes.ToArray();

    public OnnxProto Varint(int field, long value)
    {
        Tag(field, 0);
        WriteVarint((ulong)value);
        return this;
    }

    public OnnxProto Bytes(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, 2);
        WriteVarint((ulong)value.Length);
        _bytes.Write(value);
        return this;
    }

    public OnnxProto Text(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public OnnxProto Message(int field, OnnxProto message) => Bytes(field, message.ToArray());

    private void Tag(int field, int wireType) => WriteVarint((ulong)(field << 3 | wireType));

    private void WriteVarint(ulong value)
    {
        while (value >= 0x80)
        {
            _bytes.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        _bytes.WriteByte((byte)value);
    }

    // TensorProto.DataType
    public const int FloatType = 1;
    public const int Int64Type = 7;
    public const int BoolType = 9;

    public static OnnxProto Model(OnnxProto graph) =>
        new OnnxProto().Varint(1, 8).Text(2, "spotoptimizer-tests").Message(7, graph).Message(8, new OnnxProto().Text(1, "").Varint(2, 17));

    public static OnnxProto Graph(string name, IEnumerable<OnnxProto> nodes, IEnumerable<OnnxProto> inputs, IEnumerable<OnnxProto> outputs, IEnumerable<OnnxProto>? initializers = null)
    {
        var graph = new OnnxProto();
        foreach (var node in nodes) graph.Message(1, node);
        graph.Text(2, name);
        foreach (var initializer in initializers ?? []) graph.Message(5, initializer);
        foreach (var input in inputs) graph.Message(11, input);
        foreach (var output in outputs) graph.Message(12, output);
        return graph;
    }

    public static OnnxProto Node(string opType, string[] inputs, string[] outputs, params OnnxProto[] attributes)
    {
        var node = new OnnxProto();
        foreach (var input in inputs) node.Text(1, input);
        foreach (var output in outputs) node.Text(2, output);
        node.Text(4, opType);
        foreach (var attribute in attributes) node.Message(5, attribute);
        return node;
    }

    /// <summary>AttributeProto of type GRAPH (5): a Loop's body.</summary>
    public static OnnxProto GraphAttribute(string name, OnnxProto graph) => new OnnxProto().Text(1, name).Message(6, graph).Varint(20, 5);

    /// <summary>A tensor with its values as raw little-endian bytes.</summary>
    public static OnnxProto Tensor(string name, long[] dims, float[] values)
    {
        var raw = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * 4), values[i]);
        return Tensor(name, dims, FloatType, raw);
    }

    public static OnnxProto Tensor(string name, long[] dims, long[] values)
    {
        var raw = new byte[values.Length * 8];
        for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(raw.AsSpan(i * 8), values[i]);
        return Tensor(name, dims, Int64Type, raw);
    }

    public static OnnxProto Tensor(string name, long[] dims, int dataType, byte[] raw)
    {
        var tensor = new OnnxProto();
        foreach (var dim in dims) tensor.Varint(1, dim);
        return tensor.Varint(2, dataType).Text(8, name).Bytes(9, raw);
    }

    /// <summary>ValueInfoProto of a tensor; a null dimension is the symbolic batch size N.</summary>
    public static OnnxProto Value(string name, int elementType, params long?[] dims)
    {
        var shape = new OnnxProto();
        foreach (var dim in dims) shape.Message(1, dim is { } size ? new OnnxProto().Varint(1, size) : new OnnxProto().Text(2, "N"));
        var tensorType = new OnnxProto().Varint(1, elementType).Message(2, shape);
        return new OnnxProto().Text(1, name).Message(2, new OnnxProto().Message(1, tensorType));
    }
}

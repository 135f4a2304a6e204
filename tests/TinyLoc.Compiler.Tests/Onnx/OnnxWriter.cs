using System.Collections.Generic;
using System.IO;
using System.Linq;
using Google.Protobuf;

namespace TinyLoc.Compiler.Tests.Onnx;

/// <summary>
/// Writes small ONNX models (ModelProto bytes) for the importer's tests with Google.Protobuf's wire writer: nodes with
/// int, float, ints and string attributes, float initialisers as raw_data, one input and one output. Each part can
/// be replaced by raw bytes to make a malformed file.
/// </summary>
internal sealed class OnnxWriter
{
    private readonly List<byte[]> _nodes = new();
    private readonly List<byte[]> _initializers = new();
    private readonly List<byte[]> _inputs = new();
    private readonly List<byte[]> _outputs = new();

    public long Opset { get; set; } = 13;

    public OnnxWriter Node(string op, string[] inputs, string[] outputs, string name = "", string domain = "", params (string Name, object Value)[] attributes)
    {
        _nodes.Add(Message(s =>
        {
            foreach (var i in inputs)
            {
                Text(s, 1, i);
            }

            foreach (var o in outputs)
            {
                Text(s, 2, o);
            }

            Text(s, 3, name);
            Text(s, 4, op);
            foreach (var (n, v) in attributes)
            {
                Bytes(s, 5, Attribute(n, v));
            }

            if (domain.Length > 0)
            {
                Text(s, 7, domain);
            }
        }));
        return this;
    }

    public OnnxWriter Initializer(string name, int[] dims, float[] values) => RawTensor(_initializers, name, dims, 1, values.SelectMany(System.BitConverter.GetBytes).ToArray());

    public OnnxWriter Int64Initializer(string name, params long[] values) => RawTensor(_initializers, name, new[] { values.Length }, 7, values.SelectMany(System.BitConverter.GetBytes).ToArray());

    /// <summary>A tensor message written as given (for malformed ones).</summary>
    public OnnxWriter RawInitializer(byte[] tensorProto)
    {
        _initializers.Add(tensorProto);
        return this;
    }

    public OnnxWriter Input(string name, params long[] dims) => Value(_inputs, name, 1, dims.Select(d => (long?)d).ToArray());

    /// <summary>An input of ONNX element type <paramref name="elementType"/>; a null dim is a symbol (a dynamic dim).</summary>
    public OnnxWriter TypedInput(string name, int elementType, params long?[] dims) => Value(_inputs, name, elementType, dims);

    public OnnxWriter Output(string name, params long[] dims) => Value(_outputs, name, 1, dims.Select(d => (long?)d).ToArray());

    public byte[] Build() => Message(s =>
    {
        Varint(s, 1, 8);
        Text(s, 2, "tinyloc-tests");
        Bytes(s, 7, Graph());
        Bytes(s, 8, Message(o =>
        {
            Text(o, 1, string.Empty);
            Varint(o, 2, Opset);
        }));
    });

    public byte[] Graph() => Message(s =>
    {
        foreach (var n in _nodes)
        {
            Bytes(s, 1, n);
        }

        Text(s, 2, "g");
        foreach (var t in _initializers)
        {
            Bytes(s, 5, t);
        }

        foreach (var i in _inputs)
        {
            Bytes(s, 11, i);
        }

        foreach (var o in _outputs)
        {
            Bytes(s, 12, o);
        }
    });

    /// <summary>A TensorProto: dims, data type, name and raw_data; extra fields appended by <paramref name="extra"/>.</summary>
    public static byte[] Tensor(string name, long[] dims, int dataType, byte[] raw, System.Action<CodedOutputStream>? extra = null) => Message(s =>
    {
        foreach (var d in dims)
        {
            Varint(s, 1, d);
        }

        Varint(s, 2, dataType);
        Text(s, 8, name);
        Bytes(s, 9, raw);
        extra?.Invoke(s);
    });

    public static byte[] Message(System.Action<CodedOutputStream> write)
    {
        using var ms = new MemoryStream();
        var s = new CodedOutputStream(ms);
        write(s);
        s.Flush();
        return ms.ToArray();
    }

    public static void Varint(CodedOutputStream s, int field, long v)
    {
        s.WriteTag(field, WireFormat.WireType.Varint);
        s.WriteInt64(v);
    }

    public static void Text(CodedOutputStream s, int field, string v)
    {
        s.WriteTag(field, WireFormat.WireType.LengthDelimited);
        s.WriteString(v);
    }

    public static void Bytes(CodedOutputStream s, int field, byte[] v)
    {
        s.WriteTag(field, WireFormat.WireType.LengthDelimited);
        s.WriteBytes(ByteString.CopyFrom(v));
    }

    private OnnxWriter RawTensor(List<byte[]> into, string name, int[] dims, int dataType, byte[] raw)
    {
        into.Add(Tensor(name, dims.Select(d => (long)d).ToArray(), dataType, raw));
        return this;
    }

    private OnnxWriter Value(List<byte[]> into, string name, int elementType, long?[] dims)
    {
        into.Add(Message(s =>
        {
            Text(s, 1, name);
            Bytes(s, 2, Message(t => Bytes(t, 1, Message(tt =>
            {
                Varint(tt, 1, elementType);
                Bytes(tt, 2, Message(shape =>
                {
                    foreach (var d in dims)
                    {
                        Bytes(shape, 1, Message(dim =>
                        {
                            if (d is { } v)
                            {
                                Varint(dim, 1, v);
                            }
                            else
                            {
                                Text(dim, 2, "batch_or_steps");
                            }
                        }));
                    }
                }));
            }))));
        }));
        return this;
    }

    private static byte[] Attribute(string name, object value) => Message(s =>
    {
        Text(s, 1, name);
        switch (value)
        {
            case long i:
                Varint(s, 3, i);
                Varint(s, 20, 2);
                break;
            case int i:
                Varint(s, 3, i);
                Varint(s, 20, 2);
                break;
            case float f:
                s.WriteTag(2, WireFormat.WireType.Fixed32);
                s.WriteFloat(f);
                Varint(s, 20, 1);
                break;
            case string t:
                Text(s, 4, t);
                Varint(s, 20, 3);
                break;
            case long[] ints:
                foreach (var v in ints)
                {
                    Varint(s, 8, v);
                }

                Varint(s, 20, 7);
                break;
            default:
                throw new System.ArgumentException("attribute type " + value.GetType().Name);
        }
    });
}

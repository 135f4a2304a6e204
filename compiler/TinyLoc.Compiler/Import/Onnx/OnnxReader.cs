using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Google.Protobuf;
using TinyLoc.Compiler.Diagnostics;

namespace TinyLoc.Compiler.Import.Onnx;

/// <summary>
/// Reads an <c>.onnx</c> file (a protobuf <c>ModelProto</c>) with Google.Protobuf's wire reader, field by field, keeping
/// only tensors, nodes and the graph's inputs and outputs: the same allow-nothing stance as the pickle reader. Every
/// field's wire type is checked before it is read; sizes are checked against <see cref="Util.InputLimits"/> before
/// anything is allocated; a tensor whose data lives in another file is refused without opening that file; subgraphs
/// (the bodies of If and Loop) and functions are never parsed. Each failure is one diagnostic: TL1017 for a file
/// that is not valid ONNX, TL1018 for valid ONNX this compiler does not read.
/// </summary>
public static class OnnxReader
{
    /// <summary>Most nodes a graph may have; a localisation model has tens.</summary>
    public const int MaxNodes = 10_000;

    /// <summary>
    /// The state dict (the float initialisers, for the report and the unused-tensor check) carrying the parsed model
    /// (<see cref="StateDict.Onnx"/>), or null after one diagnostic. Never throws.
    /// </summary>
    public static StateDict? Read(string path, DiagnosticBag diagnostics, Util.FileSource files) =>
        CheckpointFile.Guard(path, diagnostics, DiagnosticDescriptors.OnnxMalformed, location =>
        {
            var model = Parse(CheckpointFile.ReadAllBytes(path, location, files), location);
            var tensors = model.Graph.Initializers
                .Where(c => !c.IsInteger)
                .Select(c => new CheckpointTensor(c.Name, c.StoredAs, c.Dims, c.Values.Select(v => (float)v).ToArray()));
            return new StateDict(path, tensors, model);
        });

    /// <summary>Parses the bytes of a model; throws a <see cref="DiagnosticException"/> (TL1017, TL1018, TL1015) on any problem.</summary>
    public static OnnxModel Parse(byte[] bytes, SourceLocation location)
    {
        var budget = new Budget(location);
        try
        {
            return ReadModel(new Message(bytes, "ModelProto", location, budget));
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new DiagnosticException(DiagnosticDescriptors.OnnxMalformed, location, "not a protobuf ModelProto: " + e.Message);
        }
    }

    private static OnnxModel ReadModel(Message m)
    {
        long ir = 0;
        long? opset = null;
        string producer = string.Empty;
        OnnxGraph? graph = null;
        while (m.Next())
        {
            switch (m.Field)
            {
                case 1: ir = m.Varint(); break;
                case 2: producer = m.Text(); break;
                case 7: graph = ReadGraph(m.Sub("GraphProto")); break;
                case 8:
                    var (domain, version) = ReadOpset(m.Sub("OperatorSetIdProto"));
                    if (domain.Length == 0 || domain == "ai.onnx")
                    {
                        opset = version;
                    }

                    break;
                default: m.Skip(); break;
            }
        }

        if (graph is null)
        {
            throw m.Malformed("the model has no graph (ModelProto field 7)");
        }

        if (opset is null)
        {
            throw m.Malformed("the model imports no opset of the default domain (ModelProto field 8)");
        }

        return new OnnxModel(ir, opset.Value, producer, graph);
    }

    private static (string Domain, long Version) ReadOpset(Message m)
    {
        string domain = string.Empty;
        long version = 0;
        while (m.Next())
        {
            switch (m.Field)
            {
                case 1: domain = m.Text(); break;
                case 2: version = m.Varint(); break;
                default: m.Skip(); break;
            }
        }

        return (domain, version);
    }

    private static OnnxGraph ReadGraph(Message m)
    {
        var nodes = new List<OnnxNode>();
        var initializers = new List<OnnxConstant>();
        var inputs = new List<OnnxValueInfo>();
        var outputs = new List<OnnxValueInfo>();
        while (m.Next())
        {
            switch (m.Field)
            {
                case 1:
                    if (nodes.Count == MaxNodes)
                    {
                        throw m.Unsupported(string.Format(CultureInfo.InvariantCulture, "the graph has more than {0:N0} nodes", MaxNodes));
                    }

                    nodes.Add(ReadNode(m.Sub("NodeProto")));
                    break;
                case 5: initializers.Add(ReadTensor(m.Sub("TensorProto"), "initializer")); break;
                case 11: inputs.Add(ReadValueInfo(m.Sub("ValueInfoProto"))); break;
                case 12: outputs.Add(ReadValueInfo(m.Sub("ValueInfoProto"))); break;
                case 15: throw m.Unsupported("the graph has a sparse initializer");
                default: m.Skip(); break;
            }
        }

        return new OnnxGraph(nodes, initializers, inputs, outputs);
    }

    private static OnnxNode ReadNode(Message m)
    {
        var inputs = new List<string>();
        var outputs = new List<string>();
        var attributes = new List<OnnxAttribute>();
        string name = string.Empty, op = string.Empty, domain = string.Empty;
        while (m.Next())
        {
            switch (m.Field)
            {
                case 1: inputs.Add(m.Text()); break;
                case 2: outputs.Add(m.Text()); break;
                case 3: name = m.Text(); break;
                case 4: op = m.Text(); break;
                case 5: attributes.Add(ReadAttribute(m.Sub("AttributeProto"))); break;
                case 7: domain = m.Text(); break;
                default: m.Skip(); break;
            }
        }

        if (op.Length == 0)
        {
            throw m.Malformed($"node '{Emit.Naming.CommentText(name)}' has no op_type");
        }

        return new OnnxNode(name, op, domain, inputs, outputs, attributes);
    }

    private static OnnxAttribute ReadAttribute(Message m)
    {
        string name = string.Empty, s = string.Empty;
        var kind = OnnxAttributeKind.Undefined;
        float f = 0;
        long i = 0;
        OnnxConstant? t = null;
        var floats = new List<float>();
        var ints = new List<long>();
        while (m.Next())
        {
            switch (m.Field)
            {
                case 1: name = m.Text(); break;
                case 2: f = m.Float32(); break;
                case 3: i = m.Varint(); break;
                case 4: s = m.Text(); break;
                case 5: t = ReadTensor(m.Sub("TensorProto"), "attribute tensor"); break;
                case 7: m.Floats(floats); break;
                case 8: m.Ints(ints); break;
                case 20:
                    long k = m.Varint();
                    kind = k is >= 0 and <= 14 ? (OnnxAttributeKind)k : OnnxAttributeKind.Undefined;
                    break;
                default: m.Skip(); break;
            }
        }

        return new OnnxAttribute(name, kind, f, i, s, t, floats, ints);
    }

    private static OnnxValueInfo ReadValueInfo(Message m)
    {
        string name = string.Empty;
        int elementType = 0;
        var dims = new List<long?>();
        var symbols = new List<string>();
        while (m.Next())
        {
            switch (m.Field)
            {
                case 1: name = m.Text(); break;
                case 2:
                    var type = m.Sub("TypeProto");
                    while (type.Next())
                    {
                        if (type.Field != 1)
                        {
                            type.Skip();
                            continue;
                        }

                        var tensor = type.Sub("TypeProto.Tensor");
                        while (tensor.Next())
                        {
                            switch (tensor.Field)
                            {
                                case 1: elementType = (int)tensor.Varint(); break;
                                case 2: ReadShape(tensor.Sub("TensorShapeProto"), dims, symbols); break;
                                default: tensor.Skip(); break;
                            }
                        }
                    }

                    break;
                default: m.Skip(); break;
            }
        }

        return new OnnxValueInfo(name, elementType, dims, symbols);
    }

    private static void ReadShape(Message m, List<long?> dims, List<string> symbols)
    {
        while (m.Next())
        {
            if (m.Field != 1)
            {
                m.Skip();
                continue;
            }

            var dim = m.Sub("TensorShapeProto.Dimension");
            long? value = null;
            string symbol = string.Empty;
            while (dim.Next())
            {
                switch (dim.Field)
                {
                    case 1: value = dim.Varint(); break;
                    case 2: symbol = dim.Text(); break;
                    default: dim.Skip(); break;
                }
            }

            dims.Add(value);
            symbols.Add(symbol);
        }
    }

    /// <summary>TensorProto.DataType numbers and the element types they map to (STRING, COMPLEX and the float8s are not read).</summary>
    private static readonly Dictionary<long, ElementType> DataTypes = new()
    {
        [1] = ElementType.Float32,
        [2] = ElementType.UInt8,
        [3] = ElementType.Int8,
        [5] = ElementType.Int16,
        [6] = ElementType.Int32,
        [7] = ElementType.Int64,
        [9] = ElementType.Bool,
        [10] = ElementType.Float16,
        [11] = ElementType.Float64,
        [16] = ElementType.BFloat16,
    };

    private static OnnxConstant ReadTensor(Message m, string role)
    {
        var dims = new List<long>();
        long dataType = 0;
        string name = string.Empty;
        byte[]? raw = null;
        var floats = new List<float>();
        var ints = new List<long>();
        var doubles = new List<double>();
        string? external = null;
        while (m.Next())
        {
            switch (m.Field)
            {
                case 1: m.Ints(dims); break;
                case 2: dataType = m.Varint(); break;
                case 3: throw m.Unsupported($"a {role} is stored in segments");
                case 4: m.Floats(floats); break;
                case 5: m.Ints(ints); break;
                case 7: m.Ints(ints); break;
                case 8: name = m.Text(); break;
                case 9: raw = m.Bytes(); break;
                case 10: m.Doubles(doubles); break;
                case 11: m.Ints(ints); break;
                case 13: external = ExternalLocation(m.Sub("StringStringEntryProto")) ?? external ?? string.Empty; break;
                case 14:
                    if (m.Varint() == 1)
                    {
                        external ??= string.Empty;
                    }

                    break;
                default: m.Skip(); break;
            }
        }

        string label = $"{role} '{Emit.Naming.CommentText(name)}'";
        if (external is not null)
        {
            throw m.Unsupported($"{label} keeps its data in another file{(external.Length > 0 ? " ('" + Emit.Naming.CommentText(external) + "')" : string.Empty)}, which is never opened");
        }

        if (!DataTypes.TryGetValue(dataType, out var type))
        {
            throw m.Unsupported($"{label} has data type {dataType.ToString(CultureInfo.InvariantCulture)} (strings, complex numbers and 8-bit floats are not read)");
        }

        var shape = new int[dims.Count];
        long count = 1;
        for (int d = 0; d < dims.Count; d++)
        {
            if (dims[d] < 0 || dims[d] > int.MaxValue)
            {
                throw m.Malformed($"{label} has dimension {dims[d].ToString(CultureInfo.InvariantCulture)}");
            }

            shape[d] = (int)dims[d];
            count = count == 0 || dims[d] == 0 ? 0 : count * dims[d];
            m.Budget.Take(count, label);
        }

        if (raw is not null)
        {
            m.Budget.Spend(count, label);
        }

        int size = ElementDecoder.SizeOf(type);
        int have = raw is not null ? raw.Length / size : type switch { ElementType.Float32 => floats.Count, ElementType.Float64 => doubles.Count, _ => ints.Count };
        if (raw is not null && raw.LongLength != count * size)
        {
            throw m.Malformed($"{label} is {"[" + string.Join(", ", shape) + "]"} of {type} ({count * size:N0} bytes) but its raw_data has {raw.Length:N0} bytes");
        }

        if (have != count)
        {
            throw m.Malformed($"{label} is {"[" + string.Join(", ", shape) + "]"} ({count:N0} values) but holds {have:N0}");
        }

        var values = new double[count];
        if (raw is not null)
        {
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = ElementDecoder.DecodeExact(type, raw, i * size);
            }
        }
        else
        {
            // The typed fields: float_data for FLOAT, double_data for DOUBLE, int64_data for INT64, and int32_data for the
            // narrower types (float16 and bfloat16 as their bit patterns).
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = type switch
                {
                    ElementType.Float32 => floats[i],
                    ElementType.Float64 => doubles[i],
                    ElementType.Float16 => ElementDecoder.HalfToSingle(unchecked((ushort)ints[i])),
                    ElementType.BFloat16 => ElementDecoder.BFloat16ToSingle(unchecked((ushort)ints[i])),
                    ElementType.Bool => ints[i] != 0 ? 1 : 0,
                    _ => ints[i],
                };
            }
        }

        bool integer = type is not (ElementType.Float32 or ElementType.Float64 or ElementType.Float16 or ElementType.BFloat16);
        return new OnnxConstant(name, shape, values, integer, type);
    }

    private static string? ExternalLocation(Message m)
    {
        string key = string.Empty, value = string.Empty;
        while (m.Next())
        {
            switch (m.Field)
            {
                case 1: key = m.Text(); break;
                case 2: value = m.Text(); break;
                default: m.Skip(); break;
            }
        }

        return key == "location" ? value : null;
    }

    /// <summary>The elements the file's tensors and repeated fields may hold in all (<see cref="Util.InputLimits.MaxTensorElements"/>).</summary>
    private sealed class Budget
    {
        private readonly SourceLocation _location;
        private long _left = Util.InputLimits.MaxTensorElements;

        public Budget(SourceLocation location) => _location = location;

        public void Take(long count, string what)
        {
            if (count > _left)
            {
                throw new DiagnosticException(DiagnosticDescriptors.CheckpointOverLimit, _location, string.Format(CultureInfo.InvariantCulture,
                    "{0} would take the file past {1:N0} tensor elements in all", what, Util.InputLimits.MaxTensorElements));
            }
        }

        public void Spend(long count, string what)
        {
            Take(count, what);
            _left -= count;
        }
    }

    /// <summary>One message being read: the next field's number and wire type, and typed reads that check that wire type.</summary>
    private sealed class Message
    {
        private readonly CodedInputStream _s;
        private readonly string _what;
        private readonly SourceLocation _location;

        public Message(byte[] bytes, string what, SourceLocation location, Budget budget)
        {
            _s = new CodedInputStream(bytes);
            _what = what;
            _location = location;
            Budget = budget;
        }

        public Budget Budget { get; }

        public int Field { get; private set; }

        private WireFormat.WireType Wire { get; set; }

        public bool Next()
        {
            uint tag = _s.ReadTag();
            if (tag == 0)
            {
                return false;
            }

            Field = WireFormat.GetTagFieldNumber(tag);
            Wire = WireFormat.GetTagWireType(tag);
            return true;
        }

        public long Varint()
        {
            Expect(WireFormat.WireType.Varint);
            return _s.ReadInt64();
        }

        public float Float32()
        {
            Expect(WireFormat.WireType.Fixed32);
            return _s.ReadFloat();
        }

        public string Text()
        {
            byte[] b = Bytes();
            try
            {
                return StrictUtf8.GetString(b);
            }
            catch (DecoderFallbackException)
            {
                throw Malformed($"field {Field} of {_what} is not UTF-8 text");
            }
        }

        public byte[] Bytes()
        {
            Expect(WireFormat.WireType.LengthDelimited);
            return _s.ReadBytes().ToByteArray();
        }

        public Message Sub(string what) => new(Bytes(), what, _location, Budget);

        public void Skip() => _s.SkipLastField();

        /// <summary>A repeated varint field, packed or not.</summary>
        public void Ints(List<long> into) => Repeated(into, WireFormat.WireType.Varint, s => s.ReadInt64(), 1);

        /// <summary>A repeated float field, packed or not.</summary>
        public void Floats(List<float> into) => Repeated(into, WireFormat.WireType.Fixed32, s => s.ReadFloat(), 4);

        /// <summary>A repeated double field, packed or not.</summary>
        public void Doubles(List<double> into) => Repeated(into, WireFormat.WireType.Fixed64, s => s.ReadDouble(), 8);

        public DiagnosticException Malformed(string what) => new(DiagnosticDescriptors.OnnxMalformed, _location, what);

        public DiagnosticException Unsupported(string what) => new(DiagnosticDescriptors.OnnxNotSupported, _location, what);

        private void Repeated<T>(List<T> into, WireFormat.WireType element, Func<CodedInputStream, T> read, int minBytes)
        {
            if (Wire == WireFormat.WireType.LengthDelimited)
            {
                byte[] packed = Bytes();
                Budget.Spend(packed.Length / minBytes, $"field {Field} of {_what}");
                var s = new CodedInputStream(packed);
                while (!s.IsAtEnd)
                {
                    into.Add(read(s));
                }

                return;
            }

            Expect(element);
            Budget.Spend(1, $"field {Field} of {_what}");
            into.Add(read(_s));
        }

        private void Expect(WireFormat.WireType wire)
        {
            if (Wire != wire)
            {
                throw Malformed(string.Format(CultureInfo.InvariantCulture, "field {0} of {1} has wire type {2}, not {3}", Field, _what, Wire, wire));
            }
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}

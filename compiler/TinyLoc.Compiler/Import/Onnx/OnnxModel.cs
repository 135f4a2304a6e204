using System.Collections.Generic;
using System.Linq;

namespace TinyLoc.Compiler.Import.Onnx;

/// <summary>
/// What the compiler keeps of an ONNX file: the default-domain opset and the main graph. Everything else a
/// <c>ModelProto</c> may hold (metadata, functions, training info, doc strings) is skipped unread.
/// </summary>
public sealed record OnnxModel(long IrVersion, long Opset, string Producer, OnnxGraph Graph);

/// <summary>The main graph: nodes in file order (ONNX requires topological order), constants, inputs and outputs.</summary>
public sealed record OnnxGraph(
    IReadOnlyList<OnnxNode> Nodes,
    IReadOnlyList<OnnxConstant> Initializers,
    IReadOnlyList<OnnxValueInfo> Inputs,
    IReadOnlyList<OnnxValueInfo> Outputs)
{
    /// <summary>
    /// True when a Conv or a pooling reads <paramref name="value"/>: a [1, A, B] window input is then channel-first
    /// (A features, B steps), as nn.Conv1d takes it.
    /// </summary>
    public bool FeedsConvolution(string value)
    {
        foreach (var n in Nodes)
        {
            if (n.OpType is "Conv" or "MaxPool" or "AveragePool" && n.Inputs.Contains(value))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>One node: its operator (<c>op_type</c> in <c>domain</c>), the value names it reads and writes, its attributes.</summary>
public sealed record OnnxNode(string Name, string OpType, string Domain, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, IReadOnlyList<OnnxAttribute> Attributes)
{
    /// <summary>The attribute called <paramref name="name"/>, or null.</summary>
    public OnnxAttribute? Attribute(string name)
    {
        foreach (var a in Attributes)
        {
            if (a.Name == name)
            {
                return a;
            }
        }

        return null;
    }
}

/// <summary>
/// An attribute: its <see cref="Kind"/> says which field holds the value. A graph-valued attribute (the bodies of
/// If, Loop, Scan) is recorded by kind only; its subgraph is never parsed.
/// </summary>
public sealed record OnnxAttribute(string Name, OnnxAttributeKind Kind, float F, long I, string S, OnnxConstant? T, IReadOnlyList<float> Floats, IReadOnlyList<long> Ints);

/// <summary>AttributeProto.AttributeType, as the file numbers them.</summary>
public enum OnnxAttributeKind
{
    Undefined = 0,
    Float = 1,
    Int = 2,
    String = 3,
    Tensor = 4,
    Graph = 5,
    Floats = 6,
    Ints = 7,
    Strings = 8,
    Tensors = 9,
    Graphs = 10,
    SparseTensor = 11,
    SparseTensors = 12,
    TypeProto = 13,
    TypeProtos = 14,
}

/// <summary>
/// A constant tensor (an initialiser, a <c>Constant</c> node's value, or a folded result): row-major values held as
/// doubles, which represent every float32 and every integer of a shape exactly. <see cref="IsInteger"/> for the
/// integer and boolean element types.
/// </summary>
public sealed record OnnxConstant(string Name, int[] Dims, double[] Values, bool IsInteger, ElementType StoredAs)
{
    public string DimsText => "[" + string.Join(", ", Dims) + "]";
}

/// <summary>A graph input or output: its name, element type (TensorProto.DataType) and dims (null where the file names a symbol).</summary>
public sealed record OnnxValueInfo(string Name, int ElementType, IReadOnlyList<long?> Dims, IReadOnlyList<string> Symbols);

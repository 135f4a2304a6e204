using System.Linq;
using TinyLoc.Compiler.Util;

namespace TinyLoc.Compiler.IR;

/// <summary>Where a value lives at run time.</summary>
public enum ValueKind
{
    /// <summary>The caller's input array.</summary>
    Input,

    /// <summary>The caller's output array.</summary>
    Output,

    /// <summary>A buffer in the static arena, placed by the memory planner.</summary>
    Intermediate,
}

/// <summary>Per-tensor affine quantisation: <c>real = Scale · (q − ZeroPoint)</c>.</summary>
public sealed record QuantParams(float Scale, int ZeroPoint)
{
    public override string ToString() => $"q(s={Fmt.Float(Scale)}, zp={ZeroPoint})";
}

/// <summary>A typed tensor in the graph: name, element type, shape and (for int8) its quantisation.</summary>
public sealed record Value(string Name, DType Type, int[] Shape, ValueKind Kind, QuantParams? Quant = null)
{
    public int Elements => Shape.Aggregate(1, (a, b) => a * b);

    public int Bytes => Elements * Type.Size();

    public string TypeText => $"{Type.Name()}[{string.Join(",", Shape)}]" + (Quant is null ? string.Empty : " " + Quant);
}

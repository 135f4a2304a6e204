using System;
using System.Collections.Generic;
using System.Linq;

namespace TinyLoc.Compiler.Ops;

/// <summary>
/// Every op the compiler knows, and its name in IR dumps, reports and diagnostics (<see cref="Op.Name"/> reads it
/// here: this is the one place an op's name is written). A new op is one file plus one line here.
/// </summary>
public static class OpRegistry
{
    private static readonly Dictionary<Type, string> Names = new()
    {
        [typeof(Normalize)] = "normalize",
        [typeof(Linear)] = "linear",
        [typeof(ActivationOp)] = "activation",
        [typeof(LeakyRelu)] = "leaky_relu",
        [typeof(Quantize)] = "quantize",
        [typeof(QLinear)] = "qlinear",
        [typeof(DLinear)] = "dlinear",
        [typeof(LLinear)] = "llinear",
        [typeof(Lut)] = "lut",
        [typeof(Dequantize)] = "dequantize",
        [typeof(Conv1d)] = "conv1d",
        [typeof(MaxPool1d)] = "maxpool1d",
        [typeof(RmsNorm)] = "rmsnorm",
        [typeof(LayerNorm)] = "layernorm",
        [typeof(Softmax)] = "softmax",
        [typeof(Glu)] = "glu",
        [typeof(Add)] = "add",
        [typeof(Mul)] = "mul",
        [typeof(Slice)] = "slice",
        [typeof(AddConst)] = "addconst",
        [typeof(MatMul)] = "matmul",
        [typeof(Interleave)] = "interleave",
        [typeof(SelectiveScan)] = "selective_scan",
        [typeof(Crf)] = "crf",
        [typeof(StepRow)] = "step_row",
        [typeof(StepStore)] = "step_store",
        [typeof(Conv1dStep)] = "conv1d_step",
        [typeof(SelectiveScanStep)] = "selective_scan_step",
    };

    /// <summary>The op types.</summary>
    public static IReadOnlyList<Type> All { get; } = Names.Keys.ToArray();

    /// <summary>The name of an op type; an unregistered type is a programming error, which the registry's test catches.</summary>
    public static string NameOf(Type op) =>
        Names.TryGetValue(op, out string? name) ? name : throw new InvalidOperationException($"op type {op.Name} is not in OpRegistry");

    /// <summary>The op type of a name, or null.</summary>
    public static Type? Find(string name) => Names.FirstOrDefault(e => e.Value == name).Key;
}

using System.Collections.Generic;
using System.Linq;

namespace TinyLoc.Compiler.Ops;

/// <summary>Every op the compiler knows, by name. A new op is one file plus one line here.</summary>
public static class OpRegistry
{
    public static IReadOnlyList<Op> All { get; } = new Op[]
    {
        Normalize.Instance,
        Linear.Instance,
        ActivationOp.Instance,
        Quantize.Instance,
        QLinear.Instance,
        DLinear.Instance,
        LLinear.Instance,
        Lut.Instance,
        Dequantize.Instance,
        Conv1d.Instance,
        MaxPool1d.Instance,
        RmsNorm.Instance,
        LayerNorm.Instance,
        Softmax.Instance,
        Glu.Instance,
        Add.Instance,
        Mul.Instance,
        Slice.Instance,
        AddConst.Instance,
        MatMul.Instance,
        Interleave.Instance,
        SelectiveScan.Instance,
        Crf.Instance,
    };

    public static Op? Find(string name) => All.FirstOrDefault(o => o.Name == name);
}

using System.Collections.Generic;
using System.Linq;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Ops;

namespace TinyLoc.Compiler.Quantization;

/// <summary>
/// <c>auto</c> (quantization.md §4): per linear layer, the float form or the <c>dynamic</c> int8 form,
/// whichever takes less flash (ties stay float, which is exact). Both take and give float32, so any mix
/// is valid, and dynamic's accuracy is PyTorch's quantize_dynamic's. Quantisation has a fixed cost per
/// layer (row sums, float bias, the per-call quantiser's code), so a tiny layer can be smaller in float
/// (the paper's Fig. 2); <c>auto</c> never picks the larger form, and the report's scheme table shows both.
/// </summary>
public sealed class AutoScheme : IQuantizationScheme
{
    public string Name => "auto";

    public string Summary => "per linear layer, float or dynamic int8, whichever is smaller in flash";

    public Graph? Apply(Graph fused, IReadOnlyDictionary<string, (float Min, float Max)> ranges, DiagnosticBag diagnostics, SourceLocation location) =>
        fused.With(fused.Nodes.Select(n => n.Op is Linear ? Choose(n, fused) : n));

    /// <summary>The smaller of the node's float and dynamic forms (looped, as both are compared).</summary>
    public static Node Choose(Node n, Graph graph)
    {
        var asFloat = n with { Form = LayerForm.Looped };
        var asDynamic = n with { Op = DLinear.Instance, Params = DynamicScheme.Quantize(n.P<LinearParams>()), Form = LayerForm.Looped };
        return asDynamic.Op.Cost(asDynamic, graph).FlashBytes < asFloat.Op.Cost(asFloat, graph).FlashBytes ? asDynamic : asFloat;
    }
}

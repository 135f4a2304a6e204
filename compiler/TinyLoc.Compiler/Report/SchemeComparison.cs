using System.Collections.Generic;
using System.Linq;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Ops;
using TinyLoc.Compiler.Quantization;

namespace TinyLoc.Compiler.Report;

/// <summary>One linear layer's flash in each representation (looped form): float, static, dynamic, llm-int8.</summary>
public sealed record LayerSchemes(string Layer, int Out, int In, long FloatBytes, long StaticBytes, long DynamicBytes, long LlmInt8Bytes);

/// <summary>
/// Flash of every linear layer of the fused float graph under each scheme, from the ops' own cost models,
/// so the report shows what quantisation saves or costs per layer (quantization.md §4, the paper's Fig. 2).
/// Static is costed from its int8 weights alone: its size does not depend on the ranges.
/// </summary>
public static class SchemeComparison
{
    public static IReadOnlyList<LayerSchemes> Of(Graph fused, CostModel costs) =>
        fused.Nodes.Where(n => n.Op is Linear).Select(n =>
        {
            var p = n.P<LinearParams>();
            long Bytes(Op op, object parameters)
            {
                var m = n with { Op = op, Params = parameters, Form = LayerForm.Looped };
                return op.Cost(m, fused, costs).FlashBytes;
            }

            return new LayerSchemes(n.Source, p.Out, p.In, Bytes(Linear.Instance, p), Bytes(QLinear.Instance, StaticScheme.WeightsOnly(p)), Bytes(DLinear.Instance, DynamicScheme.Quantize(p)), Bytes(LLinear.Instance, LlmInt8Scheme.Quantize(p)));
        }).ToList();
}
